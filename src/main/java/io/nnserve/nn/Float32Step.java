package io.nnserve.nn;

import org.ojalgo.matrix.store.R032Store;

/**
 * The training iteration in single precision ({@link Precision#FLOAT32}): the weights, gradients, update-rule
 * buffers and minibatch stores as ojAlgo {@link R032Store}s, the same passes as the double-precision
 * {@link Workspace} and {@link UpdateRule} (gather, affine-ReLU, affine, loss, backward, penalty, update), half the
 * memory traffic and twice the vector lanes. The {@link TrainingRun} keeps its double {@link Params} as the record
 * of the run: {@link #storeInto} copies the float weights there (exactly) before every evaluation and checkpoint,
 * so evaluation, best-model tracking and checkpoints work as in double precision, and a checkpoint holds the
 * float values exactly, which lets a resumed run continue bit for bit.
 */
final class Float32Step {

    private final int inputSize;
    private final int hiddenSize;
    private final int numClasses;
    private final int rows;
    private final R032Store w1;
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

    /** The minibatch transposed (D x N: each row contiguous), as in {@link Workspace#xT}. */
    private final R032Store xT;
    private final int[] y;
    private final R032Store a1;
    private final R032Store h;
    private final R032Store scores;
    private final R032Store dScores;
    private final R032Store dH;
    private double[] offsetOf;
    private float[] offset;
    private float[] inverse;

    Float32Step(Params initial, int batchSize, UpdateRuleKind rule, double momentum) {
        inputSize = initial.inputSize;
        hiddenSize = initial.hiddenSize;
        numClasses = initial.numClasses;
        rows = batchSize;
        w1 = R032Store.FACTORY.make(inputSize, hiddenSize);
        b1 = R032Store.FACTORY.make(1, hiddenSize);
        w2 = R032Store.FACTORY.make(hiddenSize, numClasses);
        b2 = R032Store.FACTORY.make(1, numClasses);
        params = new R032Store[] {w1, b1, w2, b2};
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
        xT = R032Store.FACTORY.make(inputSize, rows);
        y = new int[rows];
        a1 = R032Store.FACTORY.make(rows, hiddenSize);
        h = R032Store.FACTORY.make(rows, hiddenSize);
        scores = R032Store.FACTORY.make(rows, numClasses);
        dScores = R032Store.FACTORY.make(rows, numClasses);
        dH = R032Store.FACTORY.make(rows, hiddenSize);
        load(initial);
    }

    /** Takes the weights of {@code p}, rounded to float. */
    void load(Params p) {
        double[][] source = {p.w1.data, p.b1.data, p.w2.data, p.b2.data};
        for (int k = 0; k < 4; k++) {
            float[] target = params[k].data;
            for (int i = 0; i < target.length; i++) {
                target[i] = (float) source[k][i];
            }
        }
    }

    /** Writes the float weights into {@code p} (exactly: every float is a double). */
    void storeInto(Params p) {
        double[][] target = {p.w1.data, p.b1.data, p.w2.data, p.b2.data};
        for (int k = 0; k < 4; k++) {
            float[] source = params[k].data;
            for (int i = 0; i < source.length; i++) {
                target[k][i] = source[i];
            }
        }
    }

    long steps() {
        return steps;
    }

    /** The update rule's buffers as doubles, in {@link UpdateRule#state()}'s layout. */
    double[][] ruleState() {
        double[][] out = new double[buffers.length][];
        for (int b = 0; b < buffers.length; b++) {
            out[b] = new double[buffers[b].length];
            for (int i = 0; i < buffers[b].length; i++) {
                out[b][i] = buffers[b][i];
            }
        }
        return out;
    }

    void restoreRule(double[][] state, long stepsDone) {
        if (state.length != buffers.length) {
            throw new IllegalArgumentException("update rule state has " + state.length + " buffers, expected " + buffers.length);
        }
        for (int b = 0; b < buffers.length; b++) {
            if (state[b].length != buffers[b].length) {
                throw new IllegalArgumentException("update rule buffer " + b + " has " + state[b].length
                        + " values, expected " + buffers[b].length);
            }
            for (int i = 0; i < buffers[b].length; i++) {
                buffers[b][i] = (float) state[b][i];
            }
        }
        steps = stepsDone;
    }

    /**
     * One iteration's forward and backward pass on the rows {@code indices[0 .. batchSize)}: returns the loss (data
     * loss plus penalty, at the weights before the update) and leaves the gradients for {@link #update}.
     */
    double lossAndGradients(Samples samples, int[] indices, Preprocessing preprocessing, LossKind loss,
                            double svmMargin, RegularizationKind regularization, double reg) {
        gather(samples, indices, preprocessing);
        MatrixProducts products = MatrixProducts.current();
        products.multiplyTransposedA(xT, w1, a1);
        Elementwise32.addBiasAndRelu(a1.data, h.data, rows, hiddenSize, b1.data);
        products.multiply(h, w2, scores);
        Elementwise32.addBias(scores.data, rows, numClasses, b2.data);
        double value = loss == LossKind.SOFTMAX ? softmax() : svm((float) svmMargin);
        // layer 2: dW2 = hᵀ·dScores, db2 = column sums, dH = dScores·W2ᵀ; layer 1 without its input gradient
        products.multiplyTransposedA(h, dScores, grads[Params.W2]);
        Elementwise32.columnSums(dScores.data, rows, numClasses, grads[Params.B2].data);
        products.multiplyTransposedB(dScores, w2, dH);
        Elementwise32.reluBackwardAndColumnSums(dH.data, a1.data, rows, hiddenSize, grads[Params.B1].data);
        products.multiply(xT, dH, grads[Params.W1]);
        if (regularization != RegularizationKind.NONE && reg != 0.0) {
            float r = (float) reg;
            for (int k : new int[] {Params.W1, Params.W2}) {
                value += regularization == RegularizationKind.L2
                        ? 0.5 * reg * Elementwise32.sumOfSquaresAddScaled(params[k].data, grads[k].data, r)
                        : reg * Elementwise32.sumOfAbsAddSign(params[k].data, grads[k].data, r);
            }
        }
        return value;
    }

    /** One step of the update rule on all four parameters. */
    void update(double learningRate) {
        steps++;
        float lr = (float) learningRate;
        float correction1 = (float) (1 - Math.pow(UpdateRule.ADAM_BETA1, steps));
        float correction2 = (float) (1 - Math.pow(UpdateRule.ADAM_BETA2, steps));
        for (int k = 0; k < 4; k++) {
            float[] w = params[k].data;
            float[] g = grads[k].data;
            switch (rule) {
                case SGD -> Elementwise32.sgd(w, g, lr);
                case MOMENTUM -> Elementwise32.momentum(w, g, buffers[k], momentum, lr);
                case RMSPROP -> Elementwise32.rmsprop(w, g, buffers[k], (float) UpdateRule.RMSPROP_DECAY, lr,
                        (float) UpdateRule.EPSILON);
                case ADAM -> Elementwise32.adam(w, g, buffers[k], buffers[4 + k], (float) UpdateRule.ADAM_BETA1,
                        (float) UpdateRule.ADAM_BETA2, correction1, correction2, lr, (float) UpdateRule.EPSILON);
            }
        }
    }

    /** The minibatch rows into {@link #xT}, preprocessed: one contiguous run per row. */
    private void gather(Samples samples, int[] indices, Preprocessing preprocessing) {
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
            offsetOf = preprocessing.offset();
        }
        float[] values = samples.values();
        int[] labels = samples.labels();
        float[] target = xT.data;
        for (int b = 0; b < rows; b++) {
            int r = indices[b];
            Elementwise32.gatherRow(values, r * d, offset, inverse, target, b * d, d);
            y[b] = labels[r];
        }
    }

    /** Softmax cross-entropy and its gradient, as {@link Losses#softmax}; the loss is summed in double. */
    private double softmax() {
        int n = rows;
        float[] s = scores.data;
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
        float[] s = scores.data;
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
}
