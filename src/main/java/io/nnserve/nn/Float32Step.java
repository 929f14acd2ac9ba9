package io.nnserve.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ojalgo.matrix.store.R032Store;

/**
 * The training iteration in single precision ({@link Precision#FLOAT32}): the weights, gradients, update-rule
 * buffers and minibatch stores as ojAlgo {@link R032Store}s, half the memory traffic and twice the vector lanes of
 * {@link Float64Step}, which is this class in double precision (generated from it by
 * {@code bench/gen_float64_step.py}: edit this file, then regenerate). The passes are those of the reference
 * {@link Workspace} and {@link UpdateRule} (gather, affine-ReLU, affine, loss, backward, penalty, update), fused
 * where a pass can do two things at once. The step also scores the rows of the evaluation after each epoch
 * ({@link #correct}), in its own precision: that of the model it trains. The {@link TrainingRun} keeps its double
 * {@link Params} as the record of the run: {@link #storeInto} copies the float weights there (exactly) after every
 * epoch, so best-model tracking and checkpoints work as in double precision, and a checkpoint holds the float values
 * exactly, which lets a resumed run continue bit for bit.
 *
 * <p>Two threads: layer 1's passes over the input features (gather, forward product, weight gradient, penalty and
 * update of W1) are cut into two parts by feature, one per thread ({@link LayerOne}); layer 2 and the loss, a few
 * percent of the work, run on the calling thread.
 *
 * <p>Layout: everything of layer 1 is kept transposed (W1ᵀ H x D, the minibatch Xᵀ D x N, hᵀ and dHᵀ H x N), so
 * that both large products are outer-product kernels, the form that runs fastest:
 * {@code hᵀ = W1ᵀ·Xᵀ} and {@code dW1ᵀ = dHᵀ·X}; the scores come out N x C ({@code hᵀᵀ·W2}), and
 * {@code dW2 = hᵀ·dScores}, {@code dHᵀ = W2·dScoresᵀ}. W1 and its update-rule buffers are transposed on the way
 * in and out ({@link #load}, {@link #storeInto}, {@link #ruleState}), never per iteration.
 */
final class Float32Step implements TrainingStep {

    /** Rows scored at a time by {@link #correct} (the minibatch's buffers when it has at least as many rows). */
    private static final int EVALUATION_ROWS = 256;

    private final int inputSize;
    private final int hiddenSize;
    private final int numClasses;
    private final int rows;
    /** W1ᵀ, H x D. */
    private final R032Store w1t;
    private final R032Store b1;
    private final R032Store w2;
    private final R032Store b2;
    private final R032Store[] params;
    private final R032Store[] grads;
    /** Update-rule buffers, buffer-major then W1, b1, W2, b2 (the layout of {@link UpdateRule#state()}). */
    private final float[][] buffers;
    private final UpdateRuleKind rule;
    private final float momentum;
    private long steps;

    /** The minibatch's forward pass. */
    private final Pass batch;
    /** The forward pass of a block of rows being scored ({@link #correct}); {@link #batch} when that is as large. */
    private final Pass block;
    private final int[] blockIndices;
    private final R032Store dScores;
    private final R032Store dHT;
    /** Input features of layer 1's part 0, {@code [0, split)}; part 1 has {@code [split, D)}. */
    private final int split;
    private final LayerOne layerOne = new LayerOne();
    private final Updater updater = new Updater();
    private double[] offsetOf;
    private float[] offset;
    private float[] inverse;
    /** The preprocessing in 64 bits where the gather must compute in them (Elementwise32.needsWideGather); else null. */
    private double[] wideOffset;
    private double[] wideInverse;

    Float32Step(Params initial, int batchSize, UpdateRuleKind rule, double momentum) {
        inputSize = initial.inputSize;
        hiddenSize = initial.hiddenSize;
        numClasses = initial.numClasses;
        rows = batchSize;
        split = featureSplit(inputSize);
        w1t = R032Store.FACTORY.make(hiddenSize, inputSize);
        b1 = R032Store.FACTORY.make(1, hiddenSize);
        w2 = R032Store.FACTORY.make(hiddenSize, numClasses);
        b2 = R032Store.FACTORY.make(1, numClasses);
        params = new R032Store[] {w1t, b1, w2, b2};
        grads = new R032Store[4];
        for (int k = 0; k < 4; k++) {
            grads[k] = R032Store.FACTORY.make(params[k].getRowDim(), params[k].getColDim());
        }
        this.rule = rule;
        this.momentum = (float) momentum;
        int count = switch (rule) {
            case SGD -> 0;
            case MOMENTUM, RMSPROP -> 1;
            case ADAM -> 2;
        };
        buffers = new float[count * 4][];
        for (int b = 0; b < count; b++) {
            for (int k = 0; k < 4; k++) {
                buffers[b * 4 + k] = new float[params[k].data.length];
            }
        }
        batch = new Pass(rows);
        block = rows >= EVALUATION_ROWS ? batch : new Pass(EVALUATION_ROWS);
        blockIndices = new int[block.rows];
        dScores = R032Store.FACTORY.make(rows, numClasses);
        dHT = R032Store.FACTORY.make(hiddenSize, rows);
        load(initial);
    }

    @Override
    public void load(Params p) {
        double[][] source = {p.w1.data, p.b1.data, p.w2.data, p.b2.data};
        for (int k = 0; k < 4; k++) {
            intoStep(source[k], params[k].data, k == Params.W1);
        }
    }

    @Override
    public void storeInto(Params p) {
        double[][] target = {p.w1.data, p.b1.data, p.w2.data, p.b2.data};
        for (int k = 0; k < 4; k++) {
            intoEngine(params[k].data, target[k], k == Params.W1);
        }
    }

    /** {@code source} (engine layout) into {@code target}, W1 (D x H) becoming W1ᵀ (H x D). */
    private void intoStep(double[] source, float[] target, boolean w1) {
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) source[w1 ? transposedIndex(i) : i];
        }
    }

    /** {@code source} (this class's layout) into {@code target}, W1ᵀ becoming W1 again. */
    private void intoEngine(float[] source, double[] target, boolean w1) {
        for (int i = 0; i < source.length; i++) {
            target[w1 ? transposedIndex(i) : i] = source[i];
        }
    }

    /** Where element {@code i} of W1ᵀ (H x D column-major: i = h + d·H) sits in W1 (D x H: d + h·D). */
    private int transposedIndex(int i) {
        int h = i % hiddenSize;
        int d = i / hiddenSize;
        return d + h * inputSize;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public double[][] ruleState() {
        double[][] out = new double[buffers.length][];
        for (int b = 0; b < buffers.length; b++) {
            out[b] = new double[buffers[b].length];
            intoEngine(buffers[b], out[b], b % 4 == Params.W1);
        }
        return out;
    }

    @Override
    public void restoreRule(double[][] state, long stepsDone) {
        if (state.length != buffers.length) {
            throw new IllegalArgumentException("update rule state has " + state.length + " buffers, expected " + buffers.length);
        }
        for (int b = 0; b < buffers.length; b++) {
            if (state[b].length != buffers[b].length) {
                throw new IllegalArgumentException("update rule buffer " + b + " has " + state[b].length
                        + " values, expected " + buffers[b].length);
            }
            intoStep(state[b], buffers[b], b % 4 == Params.W1);
        }
        steps = stepsDone;
    }

    @Override
    public double lossAndGradients(Samples samples, int[] indices, Preprocessing preprocessing, LossKind loss,
                                   double svmMargin, RegularizationKind regularization, double reg) {
        MatrixProducts products = MatrixProducts.current();
        forward(batch, samples, indices, preprocessing, products);
        R032Store hT = batch.hT;
        double value = loss == LossKind.SOFTMAX ? softmax() : svm((float) svmMargin);
        // layer 2: dW2 = hᵀ·dScores, db2 = column sums, dHᵀ = W2·dScoresᵀ; layer 1 without its input gradient
        products.multiply(hT, dScores, grads[Params.W2]);
        Elementwise32.columnSums(dScores.data, rows, numClasses, grads[Params.B2].data);
        products.multiplyTransposedB(w2, dScores, dHT);
        reluBackwardAndRowSums(dHT.data, hT.data, hiddenSize, rows, grads[Params.B1].data);
        boolean penalized = regularization != RegularizationKind.NONE && reg != 0.0;
        layerOne.penalty = penalized ? regularization : RegularizationKind.NONE;
        layerOne.reg = (float) reg;
        layerOne.run(LayerOne.BACKWARD, batch, products);
        if (penalized) {
            double w1 = layerOne.penaltySums[0] + layerOne.penaltySums[1];
            value += (regularization == RegularizationKind.L2 ? 0.5 * reg * w1 : reg * w1)
                    + penaltyAndGradient(Params.W2, regularization, reg);
        }
        return value;
    }

    /**
     * Gathers the rows into the pass, then {@code hᵀ = relu(W1ᵀ·Xᵀ + b1)} (the two parts' sums of features added
     * here) and {@code scores = hᵀᵀ·W2 + b2}.
     */
    private void forward(Pass pass, Samples samples, int[] indices, Preprocessing preprocessing, MatrixProducts products) {
        prepareGather(samples, preprocessing);
        layerOne.samples = samples;
        layerOne.indices = indices;
        try {
            layerOne.run(LayerOne.FORWARD, pass, products);
        } finally {
            layerOne.samples = null;
            layerOne.indices = null;
        }
        addPartsBiasAndRelu(pass.hT.data, pass.partial.data, hiddenSize, pass.rows, b1.data);
        products.multiplyTransposedA(pass.hT, w2, pass.scores);
        Elementwise32.addBias(pass.scores.data, pass.rows, numClasses, b2.data);
    }

    @Override
    public int correct(Samples samples, int[] indices, Preprocessing preprocessing) {
        MatrixProducts products = MatrixProducts.current();
        int hits = 0;
        for (int from = 0; from < indices.length; from += block.rows) {
            hits += correctInBlock(samples, indices, from, preprocessing, products);
        }
        return hits;
    }

    /**
     * The correct predictions among the block of rows starting at {@code indices[from]}. A method of its own, so
     * that the JIT compiles the block's passes once, as this method: inlined into the loop over blocks, they would
     * be compiled twice in a JVM's first long evaluation (on the stack in the running loop, then for the next call).
     */
    private int correctInBlock(Samples samples, int[] indices, int from, Preprocessing preprocessing,
            MatrixProducts products) {
        int n = block.rows;
        int count = Math.min(n, indices.length - from);
        for (int b = 0; b < n; b++) {
            blockIndices[b] = indices[from + Math.min(b, count - 1)]; // a short last block repeats its last row
        }
        forward(block, samples, blockIndices, preprocessing, products);
        return block.correctAmongFirst(count, numClasses);
    }

    private double penaltyAndGradient(int k, RegularizationKind regularization, double reg) {
        float r = (float) reg;
        return regularization == RegularizationKind.L2
                ? 0.5 * reg * Elementwise32.sumOfSquaresAddScaled(params[k].data, grads[k].data, r)
                : reg * Elementwise32.sumOfAbsAddSign(params[k].data, grads[k].data, r);
    }

    /**
     * {@code m[i, j] = max(0, m[i, j] + other[i, j] + bias[i])} for M x N column-major arrays (a bias per row): layer
     * 1's two partial sums added, then its bias and ReLU.
     */
    private static void addPartsBiasAndRelu(float[] m, float[] other, int rows, int cols, float[] bias) {
        VectorSpecies<Float> s = Gemm32.S;
        int vectorRows = rows - rows % s.length();
        FloatVector zero = FloatVector.zero(s);
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            int i = 0;
            for (; i < vectorRows; i += s.length()) {
                FloatVector.fromArray(s, m, base + i).add(FloatVector.fromArray(s, other, base + i))
                        .add(FloatVector.fromArray(s, bias, i)).max(zero).intoArray(m, base + i);
            }
            for (; i < rows; i++) {
                float v = m[base + i] + other[base + i] + bias[i];
                m[base + i] = v > 0f ? v : 0f;
            }
        }
    }

    /**
     * ReLU's backward pass on an M x N column-major array with the bias gradient as row sums:
     * {@code d[i, j] = 0} where {@code h[i, j] <= 0}; {@code sums[i]} = the sum of row i of the result.
     */
    private static void reluBackwardAndRowSums(float[] d, float[] h, int rows, int cols, float[] sums) {
        VectorSpecies<Float> s = Gemm32.S;
        int vectorRows = rows - rows % s.length();
        FloatVector zero = FloatVector.zero(s);
        java.util.Arrays.fill(sums, 0f);
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            int i = 0;
            for (; i < vectorRows; i += s.length()) {
                FloatVector g = FloatVector.fromArray(s, d, base + i)
                        .blend(zero, FloatVector.fromArray(s, h, base + i).compare(VectorOperators.LE, 0f));
                g.intoArray(d, base + i);
                FloatVector.fromArray(s, sums, i).add(g).intoArray(sums, i);
            }
            for (; i < rows; i++) {
                float g = h[base + i] > 0f ? d[base + i] : 0f;
                d[base + i] = g;
                sums[i] += g;
            }
        }
    }

    @Override
    public void update(double learningRate) {
        steps++;
        updater.lr = (float) learningRate;
        updater.correction1 = (float) (1 - Math.pow(UpdateRule.ADAM_BETA1, steps));
        updater.correction2 = (float) (1 - Math.pow(UpdateRule.ADAM_BETA2, steps));
        // W1, nearly all the weights, in the two parts of layer 1; the small parameters follow on this thread
        layerOne.run(LayerOne.UPDATE, batch, MatrixProducts.current());
        for (int k = 0; k < 4; k++) {
            if (k != Params.W1) {
                updater.apply(k, 0, params[k].data.length);
            }
        }
    }

    /** The update rule's step on a range of one parameter's elements. */
    private final class Updater {
        private float lr;
        private float correction1;
        private float correction2;

        void apply(int k, int from, int to) {
            float[] w = params[k].data;
            float[] g = grads[k].data;
            switch (rule) {
                case SGD -> Elementwise32.sgd(w, g, lr, from, to);
                case MOMENTUM -> Elementwise32.momentum(w, g, buffers[k], momentum, lr, from, to);
                case RMSPROP -> Elementwise32.rmsprop(w, g, buffers[k], (float) UpdateRule.RMSPROP_DECAY, lr,
                        (float) UpdateRule.EPSILON, from, to);
                case ADAM -> Elementwise32.adam(w, g, buffers[k], buffers[4 + k], (float) UpdateRule.ADAM_BETA1,
                        (float) UpdateRule.ADAM_BETA2, correction1, correction2, lr, (float) UpdateRule.EPSILON,
                        from, to);
            }
        }
    }

    /** Checks the data against the network and takes the preprocessing in this step's precision (once per run). */
    private void prepareGather(Samples samples, Preprocessing preprocessing) {
        int d = samples.features();
        if (d != inputSize || preprocessing.features() != d) {
            throw new IllegalStateException("data has " + d + " features, preprocessing " + preprocessing.features()
                    + ", network input " + inputSize);
        }
        if (offsetOf != preprocessing.offset()) {
            offset = new float[d];
            inverse = new float[d];
            for (int j = 0; j < d; j++) {
                offset[j] = (float) preprocessing.offset()[j];
                inverse[j] = (float) (1.0 / preprocessing.scale()[j]);
            }
            boolean wide = Elementwise32.needsWideGather(preprocessing.offset(), preprocessing.scale());
            wideOffset = wide ? preprocessing.offset() : null;
            wideInverse = wide ? new double[d] : null;
            for (int j = 0; wide && j < d; j++) {
                wideInverse[j] = 1.0 / preprocessing.scale()[j];
            }
            offsetOf = preprocessing.offset();
        }
    }

    /**
     * Where layer 1's input features are cut into its two parts: the middle, rounded to a multiple of 16 features (a
     * cache line of floats), so that the parts of Xᵀ and W1ᵀ share no cache line where D allows.
     */
    static int featureSplit(int inputSize) {
        return Math.round(inputSize / 32f) * 16;
    }

    /**
     * Layer 1's passes, each cut into two parts by input feature: part 0 has features {@code [0, split)}, part 1
     * {@code [split, D)}. In every pass a part touches only its own rows of Xᵀ and columns of W1ᵀ, dW1ᵀ and the
     * update rule's buffers:
     * <ul>
     * <li>{@link #FORWARD}: gathers its features of the minibatch rows into Xᵀ, then multiplies them into its partial
     * sum of hᵀ (part 1 into hᵀ itself, part 0 into {@link Pass#partial}; {@link #forward} adds the two);</li>
     * <li>{@link #BACKWARD}: its columns of {@code dW1ᵀ = dHᵀ·X}, then the penalty's gradient on them and its partial
     * penalty sum;</li>
     * <li>{@link #UPDATE}: the update rule on its columns of W1ᵀ.</li>
     * </ul>
     * The products' helper thread takes part 0 and this thread part 1 (the caller claims the last chunk first), the
     * same in every pass, so each thread's half of those arrays stays in its own core's cache; all that crosses
     * between the cores is part 0's partial hᵀ and dHᵀ. Sharing the passes by rows of the minibatch and by slices of
     * W1 instead moved each array between the cores several times per step: on a host where that is slow, steps took
     * up to 1.5x as long. The arithmetic of a part does not depend on which thread runs it, so a run's results are
     * the same with one thread or two.
     */
    private final class LayerOne implements ComputeWorker.Job {
        static final int FORWARD = 0;
        static final int BACKWARD = 1;
        static final int UPDATE = 2;

        private int phase;
        private Pass pass;
        private MatrixProducts products;
        private Samples samples;
        private int[] indices;
        private RegularizationKind penalty = RegularizationKind.NONE;
        private float reg;
        /** The parts' sums for the penalty on W1 (Σw² or Σ|w|), added in part order. */
        private final double[] penaltySums = new double[2];
        /** Where each part leaves the sum of the values it touched: a cache line (and more) apart. */
        private static final int TOUCH_STRIDE = 32;
        private final int[] touched = new int[2 * TOUCH_STRIDE];

        /** Runs both parts of a pass: on two threads when the layer is large enough to pay for the hand-over. */
        void run(int what, Pass on, MatrixProducts with) {
            phase = what;
            pass = on;
            products = with;
            try {
                if (2L * hiddenSize * inputSize * on.rows >= VectorProducts.PARALLEL_MIN_FLOPS) {
                    with.parallel(this, 2);
                } else {
                    runChunk(1);
                    runChunk(0);
                }
            } finally {
                pass = null;
                products = null;
            }
        }

        @Override
        public void runChunk(int part) {
            int from = part == 0 ? 0 : split;
            int to = part == 0 ? split : inputSize;
            switch (phase) {
                case FORWARD -> {
                    gather(part, from, to);
                    products.multiplyPart(w1t, pass.xT, part == 1 ? pass.hT : pass.partial, from, to);
                }
                case BACKWARD -> {
                    products.multiplyTransposedB(dHT, pass.xT, grads[Params.W1], from, to);
                    float[] w = w1t.data;
                    float[] g = grads[Params.W1].data;
                    int h = hiddenSize;
                    penaltySums[part] = switch (penalty) {
                        case NONE -> 0.0;
                        case L2 -> Elementwise32.sumOfSquaresAddScaled(w, g, reg, from * h, to * h);
                        case L1 -> Elementwise32.sumOfAbsAddSign(w, g, reg, from * h, to * h);
                    };
                }
                default -> updater.apply(Params.W1, from * hiddenSize, to * hiddenSize);
            }
        }

        /**
         * Reads one value in each cache line of the part's features of every minibatch row, and returns their sum
         * (kept, so that the reads are not optimised away). The rows lie scattered over the dataset, mostly outside
         * the caches; this loop has nothing else to do, so the CPU fetches all of its lines at once, where the
         * widening loop of the gather waits for a row or two at a time (Java has no prefetch instruction). Measured
         * on one thread, Fashion-MNIST, half of each row: 12 ms per epoch for both loops against 22 ms for the
         * gather alone.
         */
        private int touchLines(byte[] values, int from, int to) {
            int sum = 0;
            for (int b = 0; b < pass.rows; b++) {
                int row = samples.offsetOf(indices[b]);
                for (int j = from; j < to; j += 64) {
                    sum += values[row + j];
                }
            }
            return sum;
        }

        /** {@link #touchLines(byte[], int, int)} for a dataset held as floats (16 to a cache line). */
        private int touchLines(float[] values, int from, int to) {
            int sum = 0;
            for (int b = 0; b < pass.rows; b++) {
                int row = samples.offsetOf(indices[b]);
                for (int j = from; j < to; j += 16) {
                    sum += Float.floatToRawIntBits(values[row + j]);
                }
            }
            return sum;
        }

        /** Features {@code [from, to)} of the minibatch rows into Xᵀ, preprocessed; part 1 also takes the labels. */
        private void gather(int part, int from, int to) {
            int d = inputSize;
            float[] floats = samples.floatValues();
            byte[] bytes = samples.byteValues();
            int[] labels = samples.labels();
            float[] target = pass.xT.data;
            touched[part * TOUCH_STRIDE] = bytes != null ? touchLines(bytes, from, to) : touchLines(floats, from, to);
            for (int b = 0; b < pass.rows; b++) {
                int r = indices[b];
                if (bytes != null) {
                    // pixels 0..255: their offsets and scales are ordinary, the float gather is exact enough
                    Elementwise32.gatherRow(bytes, samples.offsetOf(r), offset, inverse, target, b * d, from, to);
                } else if (wideOffset != null) {
                    Elementwise32.gatherRowWide(floats, samples.offsetOf(r), wideOffset, wideInverse, target, b * d,
                            from, to);
                } else {
                    Elementwise32.gatherRow(floats, samples.offsetOf(r), offset, inverse, target, b * d, from, to);
                }
                if (part == 1) {
                    pass.y[b] = labels[r];
                }
            }
        }
    }

    /** Softmax cross-entropy and its gradient, as {@link Losses#softmax}; the loss is summed in double. */
    private double softmax() {
        int n = rows;
        int[] y = batch.y;
        float[] s = batch.scores.data;
        float[] g = dScores.data;
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            float max = s[i];
            for (int j = 1; j < numClasses; j++) {
                max = Math.max(max, s[i + j * n]);
            }
            float sum = 0f;
            for (int j = 0; j < numClasses; j++) {
                float e = (float) Math.exp(s[i + j * n] - max);
                g[i + j * n] = e;
                sum += e;
            }
            float scale = 1f / (sum * n);
            for (int j = 0; j < numClasses; j++) {
                g[i + j * n] *= scale;
            }
            g[i + y[i] * n] -= 1f / n;
            total += Math.log(sum) - (s[i + y[i] * n] - max);
        }
        return total / n;
    }

    /** The multiclass hinge loss and its gradient, as {@link Losses#svm}. */
    private double svm(float margin) {
        int n = rows;
        int[] y = batch.y;
        float[] s = batch.scores.data;
        float[] g = dScores.data;
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            int yi = y[i];
            float correct = s[i + yi * n];
            int positive = 0;
            for (int j = 0; j < numClasses; j++) {
                if (j == yi) {
                    continue;
                }
                float m = s[i + j * n] - correct + margin;
                if (m > 0f) {
                    total += m;
                    positive++;
                    g[i + j * n] = 1f / n;
                } else {
                    g[i + j * n] = 0f;
                }
            }
            g[i + yi * n] = -(float) positive / n;
        }
        return total / n;
    }

    /** The stores of one forward pass over {@code rows} rows, transposed where layer 1 is. */
    private final class Pass {
        final int rows;
        /** The rows transposed (D x N: each row contiguous), as in {@link Workspace#xT}. */
        final R032Store xT;
        final int[] y;
        /** Layer 1 after ReLU, transposed (H x N); its positive entries are where ReLU passed. */
        final R032Store hT;
        /** Part 0's share of {@code W1ᵀ·Xᵀ} (H x N), added to part 1's in hT ({@link LayerOne}). */
        final R032Store partial;
        final R032Store scores;

        Pass(int rows) {
            this.rows = rows;
            xT = R032Store.FACTORY.make(inputSize, rows);
            y = new int[rows];
            hT = R032Store.FACTORY.make(hiddenSize, rows);
            partial = R032Store.FACTORY.make(hiddenSize, rows);
            scores = R032Store.FACTORY.make(rows, numClasses);
        }

        /** How many of the first {@code count} rows have their label as the (first) highest score. */
        int correctAmongFirst(int count, int classes) {
            float[] s = scores.data;
            int hits = 0;
            for (int i = 0; i < count; i++) {
                int best = 0;
                for (int j = 1; j < classes; j++) {
                    if (s[i + j * rows] > s[i + best * rows]) {
                        best = j;
                    }
                }
                hits += best == y[i] ? 1 : 0;
            }
            return hits;
        }
    }
}
