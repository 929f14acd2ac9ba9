package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The vectorized passes against their plain definitions, on lengths with and without a vector tail. */
class ElementwiseTest {

    private static final double TOLERANCE = 1e-14;

    /** Every byte value 0..255 at every lane position, with a source offset and a tail, in both precisions. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 63, 64, 65, 300, 784})
    void bytesWidenAsUnsignedValues(int d) {
        Random r = new Random(d);
        byte[] values = new byte[d + 300];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) (i * 7 + d);
        }
        double[] offset = gaussian(d, r);
        double[] inverse = gaussian(d, r);
        float[] offset32 = new float[d];
        float[] inverse32 = new float[d];
        for (int j = 0; j < d; j++) {
            offset32[j] = (float) offset[j];
            inverse32[j] = (float) inverse[j];
        }
        // the row in two ranges of features, as the two parts of layer 1 gather it: cut at the start, a third, the end
        int[] sources = {0, 3, 256};
        int[] cuts = {0, d / 3, d};
        for (int t = 0; t < sources.length; t++) {
            int src = sources[t];
            int cut = cuts[t];
            double[] target = new double[d + 2];
            float[] target32 = new float[d + 2];
            Elementwise.gatherRow(values, src, offset, inverse, target, 2, cut, d);
            Elementwise.gatherRow(values, src, offset, inverse, target, 2, 0, cut);
            Elementwise32.gatherRow(values, src, offset32, inverse32, target32, 2, cut, d);
            Elementwise32.gatherRow(values, src, offset32, inverse32, target32, 2, 0, cut);
            for (int j = 0; j < d; j++) {
                int unsigned = values[src + j] & 0xFF;
                assertThat(target[2 + j]).as("double %d", j).isEqualTo((unsigned - offset[j]) * inverse[j]);
                assertThat(target32[2 + j]).as("float %d", j).isEqualTo((unsigned - offset32[j]) * inverse32[j]);
            }
            assertThat(target[0]).isZero();
            assertThat(target32[1]).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 8, 9, 17, 200, 203})
    void biasReluAndTheBackwardPassWithColumnSums(int rows) {
        Random r = new Random(rows);
        int cols = 5;
        double[] a = gaussian(rows * cols, r);
        double[] bias = gaussian(cols, r);
        double[] expectedA = a.clone();
        double[] expectedH = new double[a.length];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                expectedA[i + j * rows] += bias[j];
                expectedH[i + j * rows] = Math.max(0.0, expectedA[i + j * rows]);
            }
        }
        double[] h = new double[a.length];
        Elementwise.addBiasAndRelu(a, h, rows, cols, bias);
        assertThat(a).containsExactly(expectedA, within(0.0));
        assertThat(h).containsExactly(expectedH, within(0.0));

        double[] d = gaussian(rows * cols, r);
        double[] expectedD = new double[d.length];
        double[] expectedSums = new double[cols];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                expectedD[i + j * rows] = h[i + j * rows] > 0 ? d[i + j * rows] : 0.0;
                expectedSums[j] += expectedD[i + j * rows];
            }
        }
        double[] sums = new double[cols];
        Elementwise.reluBackwardAndColumnSums(d, h, rows, cols, sums);
        assertThat(d).containsExactly(expectedD, within(0.0));
        assertThat(sums).containsExactly(expectedSums, within(TOLERANCE * rows));
        Elementwise.columnSums(expectedD, rows, cols, sums);
        assertThat(sums).containsExactly(expectedSums, within(TOLERANCE * rows));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 8, 13, 100, 1001})
    void penaltiesAndUpdateRules(int n) {
        Random r = new Random(n);
        double[] w = gaussian(n, r);
        double[] g = gaussian(n, r);
        double reg = 0.3;

        double[] g2 = g.clone();
        double squares = 0.0;
        double[] expectedG = g.clone();
        for (int i = 0; i < n; i++) {
            squares += w[i] * w[i];
            expectedG[i] += reg * w[i];
        }
        assertThat(Elementwise.sumOfSquaresAddScaled(w, g2, reg)).isCloseTo(squares, within(TOLERANCE * n));
        assertThat(g2).containsExactly(expectedG, within(TOLERANCE));

        double[] w1 = w.clone();
        Elementwise.sgd(w1, g, 0.1);
        for (int i = 0; i < n; i++) {
            assertThat(w1[i]).isEqualTo(w[i] - 0.1 * g[i]);
        }

        double[] w2 = w.clone();
        double[] v = gaussian(n, r);
        double[] v0 = v.clone();
        Elementwise.momentum(w2, g, v, 0.9, 0.1);
        for (int i = 0; i < n; i++) {
            double vi = 0.9 * v0[i] - 0.1 * g[i];
            assertThat(v[i]).isCloseTo(vi, within(TOLERANCE));
            assertThat(w2[i]).isCloseTo(w[i] + vi, within(TOLERANCE));
        }

        double[] w3 = w.clone();
        double[] c = new double[n];
        Elementwise.rmsprop(w3, g, c, 0.99, 0.01, 1e-8);
        for (int i = 0; i < n; i++) {
            double ci = 0.01 * g[i] * g[i];
            assertThat(c[i]).isCloseTo(ci, within(TOLERANCE));
            assertThat(w3[i]).isCloseTo(w[i] - 0.01 * g[i] / (Math.sqrt(ci) + 1e-8), within(TOLERANCE));
        }

        double[] w4 = w.clone();
        double[] m = new double[n];
        double[] vv = new double[n];
        Elementwise.adam(w4, g, m, vv, 0.9, 0.999, 0.1, 0.001, 0.01, 1e-8);
        for (int i = 0; i < n; i++) {
            double mi = 0.1 * g[i];
            double vi = 0.001 * g[i] * g[i];
            assertThat(m[i]).isCloseTo(mi, within(TOLERANCE));
            assertThat(w4[i]).isCloseTo(w[i] - 0.01 * (mi / 0.1) / (Math.sqrt(vi / 0.001) + 1e-8), within(1e-12));
        }
    }

    /** The rules on ranges (as the two parts of a training step's layer 1 apply them) give the whole pass's bits. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 7, 64, 333, 1000})
    void rulesOnSlicesEqualTheWholePass(int n) {
        Random r = new Random(n);
        double[] w = gaussian(n, r);
        double[] g = gaussian(n, r);
        int[] cuts = {0, n / 3, n}; // slices that start and end off the vector width
        for (int rule = 0; rule < 4; rule++) {
            double[] wholeW = w.clone();
            double[][] wholeState = {gaussian(n, new Random(rule)), new double[n]};
            apply(rule, wholeW, g, wholeState, 0, n);
            double[] slicedW = w.clone();
            double[][] slicedState = {gaussian(n, new Random(rule)), new double[n]};
            for (int c = 0; c + 1 < cuts.length; c++) {
                apply(rule, slicedW, g, slicedState, cuts[c], cuts[c + 1]);
            }
            assertThat(slicedW).as("weights, rule %d", rule).isEqualTo(wholeW);
            assertThat(slicedState).as("buffers, rule %d", rule).isDeepEqualTo(wholeState);
        }
    }

    /** sgd, momentum (velocity in state[0]), rmsprop (cache in state[0]), adam (moments in state[0] and [1]). */
    private static void apply(int rule, double[] w, double[] g, double[][] state, int from, int to) {
        switch (rule) {
            case 0 -> Elementwise.sgd(w, g, 0.1, from, to);
            case 1 -> Elementwise.momentum(w, g, state[0], 0.9, 0.1, from, to);
            case 2 -> Elementwise.rmsprop(w, g, state[1], 0.99, 0.01, 1e-8, from, to);
            default -> Elementwise.adam(w, g, state[0], state[1], 0.9, 0.999, 0.1, 0.001, 0.01, 1e-8, from, to);
        }
    }

    private static double[] gaussian(int n, Random r) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextGaussian();
        }
        return out;
    }
}
