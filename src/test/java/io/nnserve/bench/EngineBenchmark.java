package io.nnserve.bench;

import io.nnserve.nn.EngineKernel;
import io.nnserve.nn.IdxReader;
import io.nnserve.nn.InitKind;
import io.nnserve.nn.Precision;
import io.nnserve.nn.Preprocessing;
import io.nnserve.nn.Samples;
import io.nnserve.nn.Solver;
import io.nnserve.nn.SolverConfig;
import io.nnserve.nn.TrainingListener;
import io.nnserve.nn.TrainingResult;
import io.nnserve.nn.TwoLayerNet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import jdk.incubator.vector.DoubleVector;

/**
 * The engine in-process on Fashion-MNIST with the peers' reference settings (784-100-10, batch 200, lr 0.2, decay
 * 0.95, reg 1e-4, weightScale 0.05, seed 0, sampling with replacement, 250 iterations per epoch). Seconds per epoch
 * is the median over epochs of the training iterations only (from the end of one epoch's evaluation and
 * checkpoint to the last iteration of the next), as the peers count it. Prints one JSON line last.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp ... io.nnserve.bench.EngineBenchmark --epochs 15 --precision float64</pre>
 * Run by {@code bench/benchmark.py}; not a test, and nothing here asserts a timing.
 */
public final class EngineBenchmark {

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(System.getenv().getOrDefault("FMNIST_DIR", "/usr/share/datasets/fashion-mnist"));
        int epochs = 15;
        int numTrain = 50_000;
        int numVal = 10_000;
        Precision precision = Precision.FLOAT64;
        String kernel = EngineKernel.current();
        boolean cpuTime = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--num-train" -> numTrain = Integer.parseInt(args[++i]);
                case "--num-val" -> numVal = Integer.parseInt(args[++i]);
                case "--precision" -> precision = Precision.parse(args[++i]);
                case "--kernel" -> kernel = args[++i];
                case "--cpu-time" -> cpuTime = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        EngineKernel.use(kernel);
        if (EngineKernel.VECTOR.equals(EngineKernel.current())) {
            // as the service does after start-up: compile the vector kernels before the first minibatch (a cold
            // JIT would otherwise compile long-running loops on-stack first, which can stay slow)
            try {
                EngineKernel.warmUpInBackground().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long loadStart = System.nanoTime();
        Samples all = read(dataDir, "train");
        Samples test = read(dataDir, "t10k");
        Samples train = all.select(IntStream.range(0, numTrain).toArray());
        Samples validation = all.select(IntStream.range(all.rows() - numVal, all.rows()).toArray());
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        double[] offset = new double[all.features()];
        double[] scale = new double[all.features()];
        Arrays.fill(scale, 255.0);
        Preprocessing pixels = new Preprocessing(Preprocessing.Kind.SCALE, offset, scale);

        SolverConfig config = SolverConfig.builder().epochs(epochs).batchSize(200).learningRate(0.2).lrDecay(0.95)
                .reg(1e-4).seed(0).precision(precision).build();
        TwoLayerNet net = TwoLayerNet.initialize(all.features(), 100, 10, InitKind.GAUSSIAN, 0.05, 0);
        EpochTimer timer = new EpochTimer(cpuTime);
        // the wall-clock start, to line the epochs up with a JFR recording's compilations and deoptimisations
        System.err.println("training starts at " + java.time.LocalTime.now());
        timer.start();
        long trainStart = System.nanoTime();
        TrainingResult result = new Solver(config).train(net, train, validation, pixels, timer);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;

        long evalStart = System.nanoTime();
        TwoLayerNet trained = TwoLayerNet.of(result.best());
        double[] x = new double[test.rows() * test.features()];
        for (int i = 0; i < x.length; i++) {
            x[i] = test.value(i / test.features(), i % test.features()) / 255.0;
        }
        double[] scores = trained.scores(x, test.rows());
        int hits = 0;
        for (int r = 0; r < test.rows(); r++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (scores[r * 10 + c] > scores[r * 10 + best]) {
                    best = c;
                }
            }
            hits += best == test.labels()[r] ? 1 : 0;
        }
        double testSeconds = (System.nanoTime() - evalStart) / 1e9;
        double[] seconds = timer.seconds();
        double median = median(seconds);
        int iterations = config.iterationsPerEpoch(train.rows());
        double[] loss = result.lossHistory();
        StringBuilder json = new StringBuilder("{");
        field(json, "peer", "\"nnserve-engine\"");
        field(json, "dtype", "\"" + precision.wireName() + "\"");
        field(json, "kernel", "\"" + EngineKernel.current() + "\"");
        field(json, "threads", Integer.toString(Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1));
        field(json, "clock", cpuTime ? "\"thread CPU time\"" : "\"wall\"");
        field(json, "vector_bits", Integer.toString(DoubleVector.SPECIES_PREFERRED.vectorBitSize()));
        field(json, "java", "\"" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + "\"");
        field(json, "epochs", Integer.toString(epochs));
        field(json, "num_train", Integer.toString(train.rows()));
        field(json, "iterations_per_epoch", Integer.toString(iterations));
        field(json, "seconds_per_epoch", fmt(median));
        field(json, "samples_per_second", fmt(iterations * 200 / median));
        field(json, "epoch_seconds", Arrays.toString(Arrays.stream(seconds).map(s -> Math.round(s * 1e4) / 1e4).toArray()));
        field(json, "train_seconds", fmt(trainSeconds));
        field(json, "final_loss", fmt(loss[loss.length - 1]));
        field(json, "train_acc", fmt(result.trainAccuracy()));
        field(json, "val_acc", result.bestValAccuracy() == null ? "null" : fmt(result.bestValAccuracy()));
        field(json, "test_acc", fmt((double) hits / test.rows()));
        field(json, "test_eval_seconds", fmt(testSeconds));
        field(json, "load_seconds", fmt(loadSeconds));
        json.setLength(json.length() - 2);
        System.out.println(json.append('}'));
        System.exit(0); // the kernel's helper thread is a daemon, but do not wait for anything
    }

    private static Samples read(Path dir, String prefix) throws IOException {
        try (InputStream images = Files.newInputStream(dir.resolve(prefix + "-images-idx3-ubyte.gz"));
             InputStream labels = Files.newInputStream(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
            return IdxReader.readSamples(IdxReader.decompressed(images, 1L << 30, "images"),
                    IdxReader.decompressed(labels, 1L << 30, "labels"), 1L << 30);
        }
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\": ").append(value).append(", ");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /**
     * Times the training iterations of each epoch: from the end of the previous epoch's checkpoint to its last
     * iteration; by the wall clock, or (--cpu-time, meaningful with one thread: -XX:ActiveProcessorCount=1) by the
     * training thread's CPU time, which other work on a busy machine does not inflate.
     */
    private static final class EpochTimer implements TrainingListener {
        private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
        private final List<Double> epochs = new ArrayList<>();
        private final boolean cpuTime;
        private long start;
        private long lastIteration;

        EpochTimer(boolean cpuTime) {
            this.cpuTime = cpuTime;
        }

        private long now() {
            return cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        }

        void start() {
            start = now();
        }

        @Override
        public boolean onIteration(int iteration, int epoch, double loss) {
            lastIteration = now();
            return true;
        }

        @Override
        public void onEpoch(io.nnserve.nn.EpochMetrics metrics) {
            epochs.add((lastIteration - start) / 1e9);
            System.err.printf(Locale.ROOT, "epoch %2d  %.3f s  train_acc %.4f  val_acc %s%n", metrics.epoch(),
                    epochs.get(epochs.size() - 1), metrics.trainAccuracy(), metrics.valAccuracy());
        }

        @Override
        public void onCheckpoint(io.nnserve.nn.SolverState state) {
            start = now();
        }

        double[] seconds() {
            return epochs.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
