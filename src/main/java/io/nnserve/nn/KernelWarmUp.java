package io.nnserve.nn;

/**
 * Runs every vector kernel of the engine on small arrays until the JIT has had reason to compile it. Vector API
 * code is only fast once C2 has compiled it: before that every vector operation is an object, and the first few
 * thousand training iterations of a fresh JVM run tens of times slower. A server calls this once in the background
 * after start-up ({@link EngineKernel#warmUpInBackground()}), so that the first training job or prediction finds
 * compiled code.
 */
final class KernelWarmUp {

    /**
     * Set when real training starts ({@link EngineKernel#stopWarmUp()}): the warm-up would then take a core from
     * the job's two-thread products, and the job's own iterations compile what it uses anyway.
     */
    private static volatile boolean stopRequested;

    private KernelWarmUp() {
    }

    static void requestStop() {
        stopRequested = true;
    }

    /** Clears a stop request, so that the next {@link #run} runs to the end (a new warm-up starts). */
    static void allow() {
        stopRequested = false;
    }

    static boolean stopRequested() {
        return stopRequested;
    }

    /**
     * A few thousand calls of each kernel and pass, on shapes that reach every tile and tail; well under a second
     * once compiled. Returns how many of its training runs it did (fewer when stopped).
     */
    static int run(int rounds) {
        int runs = 0;
        coverRareSamplingBranch();
        // Rows chosen from a larger set, as a job's training and validation splits are: a view with a row map
        Samples floats = everyOtherRow(syntheticSamples(600, 37, 5));
        Samples bytes = everyOtherRow(syntheticPixels(600, 37, 5));
        Samples wideBytes = everyOtherRow(syntheticPixels(600, WIDE_FEATURES, 5));
        TrainingListener[] listeners = stopChecks();
        // First the tiles of large hidden layers in both precisions (bands of 7 vectors: 56 or more units in float64,
        // 112 in float32; 100 units in float64 also take a band of 6). Small products (k = 16) reach the compile
        // thresholds in a fraction of the time of a training run; a training run on kernels not yet compiled is slow.
        // Operands: A up to 13 vectors by 16, B 16 x 7 (or 7 x 16), C up to 13 vectors by 7.
        double[] a64 = rnd64(13 * Gemm64.V, 16).data;
        double[] b64 = rnd64(16, 7).data;
        double[] c64 = new double[13 * Gemm64.V * 7];
        float[] a32 = rnd32(7 * Gemm32.V, 16).data;
        float[] b32 = rnd32(16, 7).data;
        float[] c32 = new float[7 * Gemm32.V * 7];
        for (int r = 0; r < rounds * 20 && !stopRequested; r++) {
            for (int m : new int[] {7 * Gemm64.V, 13 * Gemm64.V - 4}) {
                Gemm64.ab(c64, a64, b64, m, 16, 0, m, 0, 7);
                Gemm64.abt(c64, a64, b64, m, 7, 16, 0, m, 0, 7);
            }
            Gemm32.ab(c32, a32, b32, 7 * Gemm32.V, 16, 0, 7 * Gemm32.V, 0, 7);
            Gemm32.abt(c32, a32, b32, 7 * Gemm32.V, 7, 16, 0, 7 * Gemm32.V, 0, 7);
        }
        // Then the likeliest first job: the engine's defaults, the classic formulation the peers' benchmark uses too
        // (float64, 100 hidden units, softmax, sgd, L2), on a first layer the two threads share. (A request's own
        // defaults differ: adam, shuffled epochs, standardised inputs; putting a run of those first as well, with 10
        // classes, gained nothing measurable for a job posted 1.5 s after start-up.) On a busy service a job posted a second or two after start-up stops this
        // warm-up, and its first epochs share the cores with the JIT compiling whatever is not compiled yet.
        if (!stopRequested) {
            SolverConfig defaults = SolverConfig.builder().epochs(Math.max(1, rounds / 4)).batchSize(DEFAULT_RUN_BATCH)
                    .learningRate(0.01).regularization(RegularizationKind.L2).precision(Precision.FLOAT64).seed(1)
                    .build();
            new Solver(defaults).train(TwoLayerNet.initialize(WIDE_FEATURES, DEFAULT_RUN_HIDDEN, 5, InitKind.GAUSSIAN, 0.05, 1),
                    wideBytes, wideBytes, Preprocessing.fit(Preprocessing.Kind.SCALE, wideBytes), listeners[0]);
            runs++;
        }
        // Every update rule, loss and penalty in both precisions on a small network, and (one in four) on one whose
        // first layer is large enough to be shared by the two threads, as a real job's is. A compiled training loop
        // that meets a branch its profile never saw (the shared first layer, a row map, a third listener class) is
        // thrown away and compiled again: hundreds of milliseconds of a core, in the middle of a job's first epochs.
        for (Precision precision : Precision.values()) {
            for (UpdateRuleKind rule : UpdateRuleKind.values()) {
                for (LossKind loss : LossKind.values()) {
                    if (stopRequested) {
                        return runs;
                    }
                    boolean wide = (rule.ordinal() + loss.ordinal()) % 4 == 0;
                    boolean svm = loss == LossKind.SVM; // both gathers: floats and bytes
                    Samples data = wide ? wideBytes : svm ? bytes : floats;
                    // every preprocessing on floats; pixels (bytes) scaled or standardised, as jobs' pixels are
                    Preprocessing.Kind scaling = data == floats
                            ? Preprocessing.Kind.values()[runs % Preprocessing.Kind.values().length]
                            : runs % 2 == 0 ? Preprocessing.Kind.SCALE : Preprocessing.Kind.STANDARDIZE;
                    // minibatches of 40 and 36 rows: whole vectors and a tail in the products over the minibatch
                    SolverConfig config = SolverConfig.builder().epochs(wide ? Math.max(1, rounds / 4) : rounds)
                            .batchSize(wide || runs % 2 == 0 ? WIDE_BATCH : 36).updateRule(rule).loss(loss).learningRate(0.01)
                            .regularization(rule.ordinal() % 2 == 0 ? RegularizationKind.L2 : RegularizationKind.L1)
                            .trainAccuracySample(100).precision(precision).seed(1).build();
                    new Solver(config).train(TwoLayerNet.initialize(data.features(), HIDDEN, 5, InitKind.HE, 0, 1), data,
                            data, Preprocessing.fit(scaling, data), listeners[runs % listeners.length]);
                    runs++;
                }
            }
        }
        // the products at sizes the training above does not reach: every band height (1 to 7 vectors of rows) of
        // the outer-product forms in both precisions, a full dot tile, shared chunks
        VectorProducts products = EngineKernel.vectorProducts();
        for (int r = 0; r < rounds && !stopRequested; r++) {
            products.multiplyTransposedA(rnd64(40, 120), rnd64(40, 30), org.ojalgo.matrix.store.R064Store.FACTORY.make(120, 30));
            for (int vectors = 1; vectors <= Gemm64.MAX_VECTORS; vectors++) {
                int m64 = vectors * Gemm64.V;
                products.multiply(rnd64(m64, 40), rnd64(40, 30), org.ojalgo.matrix.store.R064Store.FACTORY.make(m64, 30));
                products.multiplyTransposedB(rnd64(m64, 40), rnd64(30, 40), org.ojalgo.matrix.store.R064Store.FACTORY.make(m64, 30));
                int m32 = vectors * Gemm32.V;
                products.multiply(rnd32(m32, 40), rnd32(40, 30), org.ojalgo.matrix.store.R032Store.FACTORY.make(m32, 30));
                products.multiplyTransposedB(rnd32(m32, 40), rnd32(30, 40), org.ojalgo.matrix.store.R032Store.FACTORY.make(m32, 30));
            }
        }
        // the serving path: single rows (one-column products) and small batches, in both precisions
        TwoLayerNet served = TwoLayerNet.initialize(37, 45, 5, InitKind.HE, 0, 2);
        TwoLayerNet served32 = TwoLayerNet.of(served.parameters(), Precision.FLOAT32);
        double[] one = rnd64(1, 37).data;
        double[] seven = rnd64(7, 37).data;
        for (int r = 0; r < rounds * 50 && !stopRequested; r++) {
            served.scores(one, 1);
            served32.scores(one, 1);
            served.scores(seven, 7);
            served32.scores(seven, 7);
        }
        return runs;
    }

    /**
     * Features of the warm-up's wide networks: with {@link #HIDDEN} hidden units and minibatches of
     * {@link #WIDE_BATCH} their first layer is 1.08 MFLOP, over {@link VectorProducts#PARALLEL_MIN_FLOPS}, so the two
     * threads share it (the default network's run too: 100 units, minibatches of 36).
     */
    static final int WIDE_FEATURES = 300;
    /** Hidden units of the warm-up's small and wide networks. */
    static final int HIDDEN = 45;
    /** Minibatch rows of the wide runs (a whole number of vectors; the other runs alternate with 36, a tail). */
    static final int WIDE_BATCH = 40;
    /** The default network's run: a request's default hidden size, minibatches with a tail. */
    static final int DEFAULT_RUN_HIDDEN = 100;
    static final int DEFAULT_RUN_BATCH = 36;

    /** The training runs of a whole warm-up: the default network, then every precision, rule and loss. */
    static final int TRAINING_RUNS = 1 + Precision.values().length * UpdateRuleKind.values().length
            * LossKind.values().length;

    /**
     * Takes the rare branch of {@link SplitMix64#nextInt}: with the bounds of real datasets its rejection test
     * passes about once in 10^5 draws, i.e. in a job's first epochs and never in this warm-up's, and the compiled
     * training loop would be thrown away when it first does. Bound 1.5 * 2^30 passes it three times in eight.
     */
    private static void coverRareSamplingBranch() {
        SplitMix64 rng = new SplitMix64(7);
        for (int i = 0; i < 20_000; i++) {
            rng.nextInt(3 << 29);
        }
    }

    /** Listeners of three classes that stop at a stop request: the training loop's call sites then stay megamorphic. */
    private static TrainingListener[] stopChecks() {
        return new TrainingListener[] {new StopCheck(), new StopCheck() { }, new StopCheck() { }};
    }

    /** Goes on until a stop request (its anonymous subclasses are the other classes of {@link #stopChecks()}). */
    private static class StopCheck implements TrainingListener {
        @Override
        public boolean onIteration(int iteration, int epoch, double loss) {
            return !stopRequested;
        }
    }

    private static Samples everyOtherRow(Samples all) {
        int[] rows = new int[all.rows() / 2];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = 2 * i + 1;
        }
        return all.select(rows);
    }

    private static org.ojalgo.matrix.store.R032Store rnd32(int rows, int cols) {
        org.ojalgo.matrix.store.R032Store s = org.ojalgo.matrix.store.R032Store.FACTORY.make(rows, cols);
        for (int i = 0; i < s.data.length; i++) {
            s.data[i] = (i * 7919 % 101) / 101.0f - 0.5f;
        }
        return s;
    }

    private static org.ojalgo.matrix.store.R064Store rnd64(int rows, int cols) {
        org.ojalgo.matrix.store.R064Store s = org.ojalgo.matrix.store.R064Store.FACTORY.make(rows, cols);
        for (int i = 0; i < s.data.length; i++) {
            s.data[i] = (i * 7919 % 101) / 101.0 - 0.5;
        }
        return s;
    }

    private static Samples syntheticSamples(int rows, int features, int classes) {
        SplitMix64 rng = new SplitMix64(3);
        float[] values = new float[rows * features];
        int[] labels = new int[rows];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < rows; i++) {
            labels[i] = i % classes;
        }
        return new Samples(rows, features, classes, values, labels);
    }

    private static Samples syntheticPixels(int rows, int features, int classes) {
        byte[] values = new byte[rows * features];
        int[] labels = new int[rows];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) (i * 31);
        }
        for (int i = 0; i < rows; i++) {
            labels[i] = i % classes;
        }
        return Samples.ofUnsignedBytes(rows, features, classes, values, labels);
    }
}
