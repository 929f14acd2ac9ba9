package io.nnserve.nn;

import org.ojalgo.matrix.store.R064Store;

/** The weight penalty and its gradient; biases are never passed here. */
final class Regularization {

    private Regularization() {
    }

    /** L2: {@code 0.5·reg·ΣW²}; L1: {@code reg·Σ|W|}; none: 0. */
    static double penalty(RegularizationKind kind, double reg, R064Store w) {
        if (kind == RegularizationKind.NONE || reg == 0.0) {
            return 0.0;
        }
        double[] data = w.data;
        double sum = 0.0;
        if (kind == RegularizationKind.L2) {
            for (double v : data) {
                sum += v * v;
            }
            return 0.5 * reg * sum;
        }
        for (double v : data) {
            sum += Math.abs(v);
        }
        return reg * sum;
    }

    /** {@link #penalty} and {@link #addGradient} in one pass over the weights; returns the penalty. */
    static double penaltyAndGradient(RegularizationKind kind, double reg, R064Store w, R064Store dW) {
        if (kind == RegularizationKind.NONE || reg == 0.0) {
            return 0.0;
        }
        Layers.checkSameShape(w, dW);
        if (kind == RegularizationKind.L2) {
            return 0.5 * reg * Elementwise.sumOfSquaresAddScaled(w.data, dW.data, reg);
        }
        return reg * Elementwise.sumOfAbsAddSign(w.data, dW.data, reg);
    }

    /** Adds the penalty's gradient to {@code dW}: L2 {@code reg·W}, L1 {@code reg·sign(W)} (0 at 0). */
    static void addGradient(RegularizationKind kind, double reg, R064Store w, R064Store dW) {
        if (kind == RegularizationKind.NONE || reg == 0.0) {
            return;
        }
        Layers.checkSameShape(w, dW);
        double[] data = w.data;
        double[] g = dW.data;
        if (kind == RegularizationKind.L2) {
            for (int k = 0; k < data.length; k++) {
                g[k] += reg * data[k];
            }
        } else {
            for (int k = 0; k < data.length; k++) {
                g[k] += reg * Math.signum(data[k]);
            }
        }
    }
}
