package io.nnserve.nn;

import org.ojalgo.matrix.store.R064Store;

/**
 * The reference training pass, written as the math reads: CS231n's {@code model.loss(X, y)} ({@link #scores}
 * without labels, {@link #lossAndGradients} with them) from the layer functions of {@link Layers}, {@link Losses}
 * and {@link Regularization}, with X stored N x D as in the formulas. Training runs the fused, transposed
 * {@link TrainingStep}s instead; this class is what they are checked against (TrainingStepTest), and what the
 * numerical gradient checks run on. Every store is allocated once per number of rows.
 */
final class Workspace {

    final int rows;
    /**
     * The gathered, preprocessed input rows, stored transposed: D x N column-major is the rows one after another,
     * so the gather copies each row in one contiguous run, the forward product {@code X·W1 = xTᵀ·W1} is a dot
     * product of two contiguous columns per element, and {@code dW1 = Xᵀ·dH = xT·dH} a plain product.
     */
    final R064Store xT;
    /** The labels of the gathered rows. */
    final int[] y;
    /** Layer 1 before ReLU, the affine-ReLU cache (N x H). */
    final R064Store a1;
    /** Layer 1 after ReLU (N x H). */
    final R064Store h;
    /** N x C. */
    final R064Store scores;
    /** Gradient buffers; null in a workspace made for scoring only. */
    final R064Store dScores;
    final R064Store dH;

    private double[] inverseOf;
    private double[] inverse;

    Workspace(int rows, int inputSize, int hiddenSize, int numClasses, boolean withGradients) {
        this.rows = rows;
        xT = R064Store.FACTORY.make(inputSize, rows);
        y = new int[rows];
        a1 = R064Store.FACTORY.make(rows, hiddenSize);
        h = R064Store.FACTORY.make(rows, hiddenSize);
        scores = R064Store.FACTORY.make(rows, numClasses);
        dScores = withGradients ? R064Store.FACTORY.make(rows, numClasses) : null;
        dH = withGradients ? R064Store.FACTORY.make(rows, hiddenSize) : null;
    }

    static Workspace forTraining(int rows, Params p) {
        return new Workspace(rows, p.inputSize, p.hiddenSize, p.numClasses, true);
    }

    static Workspace forScoring(int rows, Params p) {
        return new Workspace(rows, p.inputSize, p.hiddenSize, p.numClasses, false);
    }

    /**
     * Copies the given sample rows into {@link #xT} and {@link #y}, applying the preprocessing
     * {@code (x - offset) / scale} on the way (the floats of the dataset become doubles here and only here).
     * The rows are {@code indices[from .. from + rows)}.
     */
    void gather(Samples samples, int[] indices, int from, Preprocessing preprocessing) {
        int d = samples.features();
        if (d != xT.getRowDim() || preprocessing.features() != d) {
            throw new IllegalStateException("data has " + d + " features, preprocessing " + preprocessing.features()
                    + ", network input " + xT.getRowDim());
        }
        float[] floats = samples.floatValues();
        byte[] bytes = samples.byteValues();
        int[] labels = samples.labels();
        double[] offset = preprocessing.offset();
        double[] inverse = inverseScale(preprocessing.scale());
        double[] target = xT.data;
        for (int b = 0; b < rows; b++) {
            int r = indices[from + b];
            if (bytes != null) {
                Elementwise.gatherRow(bytes, samples.offsetOf(r), offset, inverse, target, b * d, 0, d);
            } else {
                Elementwise.gatherRow(floats, samples.offsetOf(r), offset, inverse, target, b * d, 0, d);
            }
            y[b] = labels[r];
        }
    }

    /** Sets the input rows directly (tests): {@code x} is N x D column-major. */
    void setInputs(double[] x) {
        int d = xT.getRowDim();
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < d; j++) {
                xT.data[j + b * d] = x[b + j * rows];
            }
        }
    }

    /**
     * {@code 1 / scale}, computed once per preprocessing (a multiplication instead of a division per value; the
     * result may differ from {@code (x - offset) / scale} in the last bit).
     */
    private double[] inverseScale(double[] scale) {
        if (inverseOf != scale) {
            double[] inv = new double[scale.length];
            for (int j = 0; j < scale.length; j++) {
                inv[j] = 1.0 / scale[j];
            }
            inverse = inv;
            inverseOf = scale;
        }
        return inverse;
    }

    /** Forward pass only: fills {@link #scores} from {@link #xT}: {@code a1 = X·W1 + b1}, {@code h = relu(a1)}, {@code h·W2 + b2}. */
    void scores(Params p) {
        MatrixProducts.current().multiplyTransposedA(xT, p.w1, a1);
        Layers.checkSameShape(a1, h);
        Elementwise.addBiasAndRelu(a1.data, h.data, rows, a1.getColDim(), p.b1.data);
        Layers.affineForward(h, p.w2, p.b2, scores);
    }

    /**
     * Forward and backward pass on the gathered batch: returns the loss (data loss plus the weight penalty) and
     * writes the gradients of W1, b1, W2, b2 into {@code grads}.
     */
    double lossAndGradients(Params p, Params grads, LossKind loss, double svmMargin,
                            RegularizationKind regularization, double reg) {
        scores(p);
        double value = Losses.loss(loss, svmMargin, scores, y, dScores);
        Layers.affineBackward(dScores, h, p.w2, dH, grads.w2, grads.b2);
        // ReLU backward with the bias gradient in one pass, then dW1 = Xᵀ·dH = xT·dH (no input gradient)
        Layers.checkSameShape(dH, a1);
        Elementwise.reluBackwardAndColumnSums(dH.data, a1.data, rows, dH.getColDim(), grads.b1.data);
        MatrixProducts.current().multiply(xT, dH, grads.w1);
        value += Regularization.penaltyAndGradient(regularization, reg, p.w1, grads.w1);
        value += Regularization.penaltyAndGradient(regularization, reg, p.w2, grads.w2);
        return value;
    }
}
