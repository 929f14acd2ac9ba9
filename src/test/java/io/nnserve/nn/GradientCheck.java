package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;

/** Central-difference gradients in double precision, and CS231n's relative error. */
final class GradientCheck {

    static final double STEP = 1e-5;
    static final double TOLERANCE = 1e-7;

    private GradientCheck() {
    }

    /** The numeric gradient of {@code f} with respect to each entry of {@code x} (which it reads). */
    static double[] numeric(DoubleSupplier f, double[] x) {
        double[] grad = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            double old = x[k];
            x[k] = old + STEP;
            double plus = f.getAsDouble();
            x[k] = old - STEP;
            double minus = f.getAsDouble();
            x[k] = old;
            grad[k] = (plus - minus) / (2 * STEP);
        }
        return grad;
    }

    /** {@code max |a - b| / max(1e-8, |a| + |b|)}. */
    static double relativeError(double[] a, double[] b) {
        assertThat(a).hasSameSizeAs(b);
        double worst = 0.0;
        for (int k = 0; k < a.length; k++) {
            worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.max(1e-8, Math.abs(a[k]) + Math.abs(b[k])));
        }
        return worst;
    }

    static void assertClose(String what, double[] analytic, double[] numeric) {
        assertThat(relativeError(analytic, numeric)).as("relative error of " + what).isLessThan(TOLERANCE);
    }
}
