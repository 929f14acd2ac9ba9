package io.nnserve.nn;

import org.ojalgo.matrix.store.R064Store;

/**
 * The data losses, each returning the batch-mean loss and writing {@code dScores} (the gradient of that mean loss
 * with respect to the N x C scores). {@code dScores} may be null when only the loss is wanted.
 */
final class Losses {

    private Losses() {
    }

    static double loss(LossKind kind, double svmMargin, R064Store scores, int[] y, R064Store dScores) {
        return switch (kind) {
            case SOFTMAX -> softmax(scores, y, dScores);
            case SVM -> svm(scores, y, svmMargin, dScores);
        };
    }

    /**
     * Softmax cross-entropy {@code -1/N Σ log(exp(s_y) / Σ_j exp(s_j))}, computed after subtracting each row's
     * maximum so that no exponential overflows; {@code dScores = (p - onehot(y)) / N}.
     */
    static double softmax(R064Store scores, int[] y, R064Store dScores) {
        int n = checkShapes(scores, y, dScores);
        int c = scores.getColDim();
        double[] s = scores.data;
        double[] g = dScores == null ? null : dScores.data;
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            double max = s[i];
            for (int j = 1; j < c; j++) {
                max = Math.max(max, s[i + j * n]);
            }
            double sum = 0.0;
            if (g != null) {
                // one exponential per score: keep them in dScores, then scale them into probabilities
                for (int j = 0; j < c; j++) {
                    double e = Math.exp(s[i + j * n] - max);
                    g[i + j * n] = e;
                    sum += e;
                }
                double scale = 1.0 / (sum * n);
                for (int j = 0; j < c; j++) {
                    g[i + j * n] *= scale;
                }
                g[i + y[i] * n] -= 1.0 / n;
            } else {
                for (int j = 0; j < c; j++) {
                    sum += Math.exp(s[i + j * n] - max);
                }
            }
            total += Math.log(sum) - (s[i + y[i] * n] - max);
        }
        return total / n;
    }

    /**
     * Multiclass SVM hinge loss {@code 1/N Σ_i Σ_{j≠y_i} max(0, s_j - s_{y_i} + Δ)}; its gradient is {@code 1/N}
     * for each wrong class with a positive margin and minus their count over N for the true class.
     */
    static double svm(R064Store scores, int[] y, double margin, R064Store dScores) {
        int n = checkShapes(scores, y, dScores);
        int c = scores.getColDim();
        double[] s = scores.data;
        double[] g = dScores == null ? null : dScores.data;
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            int yi = y[i];
            double correct = s[i + yi * n];
            int positive = 0;
            for (int j = 0; j < c; j++) {
                if (j == yi) {
                    continue;
                }
                double m = s[i + j * n] - correct + margin;
                if (m > 0.0) {
                    total += m;
                    positive++;
                    if (g != null) {
                        g[i + j * n] = 1.0 / n;
                    }
                } else if (g != null) {
                    g[i + j * n] = 0.0;
                }
            }
            if (g != null) {
                g[i + yi * n] = -(double) positive / n;
            }
        }
        return total / n;
    }

    private static int checkShapes(R064Store scores, int[] y, R064Store dScores) {
        int n = scores.getRowDim();
        if (y.length < n) {
            throw new IllegalStateException(n + " score rows but only " + y.length + " labels");
        }
        if (dScores != null) {
            Layers.checkSameShape(scores, dScores);
        }
        return n;
    }
}
