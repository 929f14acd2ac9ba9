package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class TwoLayerNetTest {

    private static double std(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        return Math.sqrt(var / values.length);
    }

    @Test
    void gaussianAndHeInitialisation() {
        NetworkParameters g = TwoLayerNet.initialize(200, 100, 10, InitKind.GAUSSIAN, 0.01, 1).parameters();
        assertThat(std(g.w1())).isCloseTo(0.01, within(0.0003));
        assertThat(std(g.w2())).isCloseTo(0.01, within(0.001));
        assertThat(g.b1()).containsOnly(0.0);
        assertThat(g.b2()).containsOnly(0.0);
        NetworkParameters he = TwoLayerNet.initialize(200, 100, 10, InitKind.HE, 123.0, 1).parameters();
        assertThat(std(he.w1())).isCloseTo(Math.sqrt(2.0 / 200), within(0.003));
        assertThat(std(he.w2())).isCloseTo(Math.sqrt(2.0 / 100), within(0.01));
        assertThatThrownBy(() -> TwoLayerNet.initialize(2, 2, 2, InitKind.GAUSSIAN, 0, 1)).hasMessageContaining("weightScale");
        assertThatThrownBy(() -> TwoLayerNet.initialize(2, 2, 1, InitKind.HE, 0, 1)).hasMessageContaining("numClasses");
    }

    @Test
    void parametersRoundTripAndAreCopies() {
        NetworkParameters p = new NetworkParameters(2, 3, 2,
                new double[] {1, 2, 3, 4, 5, 6}, new double[] {0.1, 0.2, 0.3}, new double[] {1, -1, 2, -2, 3, -3},
                new double[] {0.5, -0.5});
        TwoLayerNet net = TwoLayerNet.of(p);
        assertThat(net.parameters()).isEqualTo(p);
        p.w1()[0] = 100;
        assertThat(net.parameters().w1()[0]).isEqualTo(1.0);
        net.parameters().w2()[0] = 100;
        assertThat(net.parameters().w2()[0]).isEqualTo(1.0);
        assertThat(net.inputSize()).isEqualTo(2);
        assertThat(net.hiddenSize()).isEqualTo(3);
        assertThat(net.numClasses()).isEqualTo(2);
    }

    @Test
    void scoresFollowTheFormulaRowMajor() {
        // W1 row-major 2x3 = [[1,2,3],[4,5,6]], b1 = (0.1,0.2,0.3); W2 3x2 = [[1,-1],[2,-2],[3,-3]], b2 = (0.5,-0.5)
        TwoLayerNet net = TwoLayerNet.of(new NetworkParameters(2, 3, 2,
                new double[] {1, 2, 3, 4, 5, 6}, new double[] {0.1, 0.2, 0.3}, new double[] {1, -1, 2, -2, 3, -3},
                new double[] {0.5, -0.5}));
        // row (1, 0): h = (1.1, 2.2, 3.3), s = (1.1 + 4.4 + 9.9 + 0.5, -(15.4) - 0.5) = (15.9, -15.9)
        // row (0, -1): h = relu(-3.9, -4.8, -5.7) = 0, s = b2
        double[] s = net.scores(new double[] {1, 0, 0, -1}, 2);
        assertThat(s[0]).isCloseTo(15.9, within(1e-12));
        assertThat(s[1]).isCloseTo(-15.9, within(1e-12));
        assertThat(s[2]).isEqualTo(0.5);
        assertThat(s[3]).isEqualTo(-0.5);
        double[] p = net.probabilities(new double[] {0, -1}, 1);
        assertThat(p[0]).isCloseTo(Math.exp(1) / (Math.exp(1) + 1), within(1e-12));
        assertThatThrownBy(() -> net.scores(new double[3], 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scoresAgreeWithTheTrainingForwardPass() {
        TwoLayerNet net = TwoLayerNet.initialize(12, 9, 4, InitKind.HE, 0, 5);
        Samples data = TestData.randomSamples(37, 12, 4, 6);
        Workspace w = Workspace.forScoring(37, net.params());
        int[] all = java.util.stream.IntStream.range(0, 37).toArray();
        w.gather(data, all, 0, Preprocessing.none(12));
        w.scores(net.params());
        double[] x = new double[37 * 12];
        for (int k = 0; k < x.length; k++) {
            x[k] = data.value(k / 12, k % 12);
        }
        double[] s = net.scores(x, 37);
        for (int i = 0; i < 37; i++) {
            for (int j = 0; j < 4; j++) {
                assertThat(s[i * 4 + j]).isCloseTo(w.scores.doubleValue(i, j), within(1e-12));
            }
        }
    }

    @Test
    void concurrentCallersGetTheSameScores() throws Exception {
        TwoLayerNet net = TwoLayerNet.initialize(64, 50, 10, InitKind.HE, 0, 3);
        int threads = 8;
        List<double[]> inputs = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        SplitMix64 rng = new SplitMix64(4);
        for (int t = 0; t < threads; t++) {
            int rows = 1 + t * 3;
            double[] x = new double[rows * 64];
            for (int k = 0; k < x.length; k++) {
                x[k] = rng.nextGaussian();
            }
            inputs.add(x);
            expected.add(net.scores(x, rows));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                Callable<Boolean> job = () -> {
                    for (int r = 0; r < 200; r++) {
                        double[] s = net.scores(inputs.get(index), 1 + index * 3);
                        if (!java.util.Arrays.equals(s, expected.get(index))) {
                            return false;
                        }
                    }
                    return true;
                };
                results.add(pool.submit(job));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
