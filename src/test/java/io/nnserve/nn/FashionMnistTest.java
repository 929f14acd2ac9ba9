package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acceptance test of issue 2 on Fashion-MNIST, with the peers' reference settings: 784-100-10, softmax, sgd,
 * batch 200, lr 0.2, decay 0.95, reg 1e-4, weightScale 0.05, 15 epochs, pixels / 255; the first 50,000 training
 * images train, the last 10,000 validate, and the 10,000 t10k images test. Needs
 * {@code apt-get install -y dataset-fashion-mnist}; runs with {@code ./mvnw -B test -Pfashion-mnist -Dgroups=fashion-mnist}.
 * Prints seconds per epoch (training iterations only, like the peers): printed, never asserted.
 */
@Tag("fashion-mnist")
class FashionMnistTest {

    private static final Path DIR = Path.of(System.getProperty("fashion.mnist.dir", "/usr/share/datasets/fashion-mnist"));
    private static final long MAX_BYTES = 100L << 20;

    private static Samples read(String prefix) throws IOException {
        try (InputStream images = Files.newInputStream(DIR.resolve(prefix + "-images-idx3-ubyte.gz"));
             InputStream labels = Files.newInputStream(DIR.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
            return IdxReader.readSamples(images, labels, MAX_BYTES);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void reachesTheReferenceAccuracy(Precision precision) throws IOException {
        Samples all = read("train");
        Samples test = read("t10k");
        assertThat(all.rows()).isEqualTo(60_000);
        Samples train = all.select(IntStream.range(0, 50_000).toArray());
        Samples validation = all.select(IntStream.range(50_000, 60_000).toArray());
        double[] offset = new double[784];
        double[] scale = new double[784];
        Arrays.fill(scale, 255.0);
        Preprocessing pixels = new Preprocessing(Preprocessing.Kind.SCALE, offset, scale);

        SolverConfig config = SolverConfig.builder().epochs(15).batchSize(200).learningRate(0.2).lrDecay(0.95)
                .updateRule(UpdateRuleKind.SGD).loss(LossKind.SOFTMAX).regularization(RegularizationKind.L2).reg(1e-4)
                .sampling(SamplingKind.REPLACEMENT).seed(0).precision(precision).build();
        TwoLayerNet start = TwoLayerNet.initialize(784, 100, 10, InitKind.GAUSSIAN, 0.05, 0);
        double[] epochSeconds = new double[config.epochs()];
        TrainingListener timer = new TrainingListener() {
            private long epochStart = System.nanoTime();
            private long lastIteration;

            @Override
            public boolean onIteration(int iteration, int epoch, double loss) {
                lastIteration = System.nanoTime();
                return true;
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                epochSeconds[m.epoch() - 1] = (lastIteration - epochStart) / 1e9;
                System.out.printf("epoch %2d  %.3f s  train %.3f  val %.4f  lr %.4f%n", m.epoch(),
                        epochSeconds[m.epoch() - 1], m.trainAccuracy(), m.valAccuracy(), m.learningRate());
                epochStart = System.nanoTime();
            }
        };
        TrainingResult result = new Solver(config).train(start, train, validation, pixels, timer);
        double testAccuracy = TestData.accuracy(TwoLayerNet.of(result.best(), precision), test, pixels);
        double[] sorted = epochSeconds.clone();
        Arrays.sort(sorted);
        System.out.printf("fashion-mnist " + precision.wireName() + ": test accuracy %.4f, best validation %.4f, median %.3f s per epoch (%s)%n",
                testAccuracy, result.bestValAccuracy(), sorted[sorted.length / 2], MatrixProducts.current().getClass().getSimpleName());
        assertThat(result.outcome()).isEqualTo(TrainingResult.Outcome.COMPLETED);
        assertThat(testAccuracy).isGreaterThanOrEqualTo(0.86);
    }
}
