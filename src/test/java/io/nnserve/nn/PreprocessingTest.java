package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Fitting the preprocessing on columns at the edges of float32: tiny spreads are features, not constants; only a
 * column whose values are all equal is constant; no spread under- or overflows the standard deviation.
 */
class PreprocessingTest {

    /** Rows of the given columns (each array one column, all of one length). */
    private static Samples columns(float[]... columns) {
        int n = columns[0].length;
        int d = columns.length;
        float[] values = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                values[i * d + j] = columns[j][i];
            }
            labels[i] = i % 2;
        }
        return new Samples(n, d, 2, values, labels);
    }

    /** The population standard deviation, in BigDecimal arithmetic: the reference the fit must match. */
    private static double referenceStd(float[] column) {
        java.math.MathContext mc = java.math.MathContext.DECIMAL128;
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (float v : column) {
            sum = sum.add(new java.math.BigDecimal(v), mc);
        }
        java.math.BigDecimal mean = sum.divide(java.math.BigDecimal.valueOf(column.length), mc);
        java.math.BigDecimal squares = java.math.BigDecimal.ZERO;
        for (float v : column) {
            java.math.BigDecimal delta = new java.math.BigDecimal(v).subtract(mean, mc);
            squares = squares.add(delta.multiply(delta, mc), mc);
        }
        return squares.divide(java.math.BigDecimal.valueOf(column.length), mc).sqrt(mc).doubleValue();
    }

    private static float[] column(int n, java.util.function.IntToDoubleFunction value) {
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = (float) value.applyAsDouble(i);
        }
        return c;
    }

    @Test
    void standardizeKeepsFeaturesWithTinyOrHugeSpreadsAtTheirStandardDeviation() {
        SplitMix64 rng = new SplitMix64(11);
        float[] tiny = column(200, i -> rng.nextGaussian() * 1e-15);
        float[] subnormal = column(200, i -> i % 3 == 0 ? 1e-40 : 0.0);
        float[] huge = column(200, i -> i % 10 == 0 ? -3.4e38 : 3.3e38);
        float[] ordinary = column(200, i -> 5 + rng.nextGaussian());
        Preprocessing p = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, columns(tiny, subnormal, huge, ordinary));
        float[][] all = {tiny, subnormal, huge, ordinary};
        for (int j = 0; j < all.length; j++) {
            double expected = referenceStd(all[j]);
            assertThat(p.scale()[j]).as("column %d", j).isCloseTo(expected, within(expected * 1e-12));
        }
        // the tiny feature comes out on the unit scale, not at 1e-15
        double[] row = new double[4];
        double[] out = new double[4];
        double spread = 0;
        for (int i = 0; i < tiny.length; i++) {
            row[0] = tiny[i];
            p.apply(row, 0, out, 0);
            spread += out[0] * out[0];
        }
        assertThat(Math.sqrt(spread / tiny.length)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void onlyAColumnOfEqualValuesIsConstantAndBecomesExactlyZero() {
        float[] tenths = column(300, i -> 0.1);
        float[] large = column(300, i -> 3.3e38);
        float[] zeros = new float[300];
        float[] nearlyConstant = column(300, i -> i == 7 ? Math.nextUp(1.0f) : 1.0f);
        Preprocessing p = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE,
                columns(tenths, large, zeros, nearlyConstant));
        double[] out = new double[4];
        p.apply(new double[] {0.1f, 3.3e38f, 0, 1.0f}, 0, out, 0);
        assertThat(p.scale()[0]).isEqualTo(1.0);
        assertThat(p.scale()[1]).isEqualTo(1.0);
        assertThat(p.scale()[2]).isEqualTo(1.0);
        assertThat(out[0]).isZero();
        assertThat(out[1]).isZero();
        assertThat(out[2]).isZero();
        // one value an ulp away is a feature: its spread is kept, however small
        assertThat(p.scale()[3]).isCloseTo(referenceStd(nearlyConstant), within(1e-20));
        assertThat(p.scale()[3]).isLessThan(1e-6);
    }

    @Test
    void scaleDividesByTheLargestMagnitudeAndLeavesAZeroColumnAlone() {
        float[] mixed = column(50, i -> i % 2 == 0 ? -4.0 : 2.0);
        float[] zeros = new float[50];
        float[] tiny = column(50, i -> i * 1e-41);
        Preprocessing p = Preprocessing.fit(Preprocessing.Kind.SCALE, columns(mixed, zeros, tiny));
        assertThat(p.scale()).containsExactly(4.0, 1.0, (double) (float) (49 * 1e-41));
        assertThat(p.offset()).containsExactly(0.0, 0.0, 0.0);
    }
}
