package io.nnserve.nn;

import org.ojalgo.matrix.store.R064Store;

/**
 * Every store one forward (and backward) pass over {@code rows} rows needs, allocated once and reused for every
 * minibatch of that size: after the first iteration, training allocates nothing. This is CS231n's
 * {@code model.loss(X, y)}: {@link #scores} without labels, {@link #lossAndGradients} with them.
 */
final class Workspace {

    final int rows;
    /** The gathered, preprocessed input rows (N x D). */
    final R064Store x;
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

    Workspace(int rows, int inputSize, int hiddenSize, int numClasses, boolean withGradients) {
        this.rows = rows;
        x = R064Store.FACTORY.make(rows, inputSize);
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
     * Copies the given sample rows into {@link #x} and {@link #y}, applying the preprocessing
     * {@code (x - offset) / scale} on the way (the floats of the dataset become doubles here and only here).
     * The rows are {@code indices[from .. from + rows)}.
     */
    void gather(Samples samples, int[] indices, int from, Preprocessing preprocessing) {
        int d = samples.features();
        if (d != x.getColDim() || preprocessing.features() != d) {
            throw new IllegalStateException("data has " + d + " features, preprocessing " + preprocessing.features()
                    + ", network input " + x.getColDim());
        }
        float[] values = samples.values();
        int[] labels = samples.labels();
        double[] offset = preprocessing.offset();
        double[] scale = preprocessing.scale();
        double[] target = x.data;
        int n = rows;
        for (int b = 0; b < n; b++) {
            int r = indices[from + b];
            int source = r * d;
            for (int j = 0; j < d; j++) {
                target[b + j * n] = (values[source + j] - offset[j]) / scale[j];
            }
            y[b] = labels[r];
        }
    }

    /** Forward pass only: fills {@link #scores} from {@link #x}. */
    void scores(Params p) {
        Layers.affineReluForward(x, p.w1, p.b1, a1, h);
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
        Layers.affineReluBackward(dH, x, p.w1, a1, dH, null, grads.w1, grads.b1);
        value += Regularization.penalty(regularization, reg, p.w1) + Regularization.penalty(regularization, reg, p.w2);
        Regularization.addGradient(regularization, reg, p.w1, grads.w1);
        Regularization.addGradient(regularization, reg, p.w2, grads.w2);
        return value;
    }

    /** How many of the rows scored last have their label as the (first) highest score. */
    int correct() {
        int n = rows;
        int c = scores.getColDim();
        double[] s = scores.data;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            double max = s[i];
            for (int j = 1; j < c; j++) {
                if (s[i + j * n] > max) {
                    max = s[i + j * n];
                    best = j;
                }
            }
            if (best == y[i]) {
                hits++;
            }
        }
        return hits;
    }
}
