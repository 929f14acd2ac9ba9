package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training and prediction with {@link Precision#FLOAT32}: same results as float64 up to float rounding. */
class Float32TrainingTest {

    private static final Samples DATA = TestData.randomSamples(300, 12, 4, 21);
    private static final Samples VALIDATION = TestData.randomSamples(90, 12, 4, 22);
    private static final Preprocessing NONE = Preprocessing.none(12);

    private static SolverConfig.Builder small() {
        return SolverConfig.builder().epochs(4).batchSize(25).learningRate(0.05).seed(3);
    }

    private static TwoLayerNet net() {
        return TwoLayerNet.initialize(12, 19, 4, InitKind.HE, 0, 9); // 19: vector tails in every pass
    }

    @Test
    void followsTheFloat64RunUpToFloatRounding() {
        for (LossKind loss : LossKind.values()) {
            for (UpdateRuleKind rule : UpdateRuleKind.values()) {
                SolverConfig config = small().loss(loss).updateRule(rule)
                        .learningRate(rule == UpdateRuleKind.SGD || rule == UpdateRuleKind.MOMENTUM ? 0.05 : 0.002).build();
                TrainingResult doubles = new Solver(config).train(net(), DATA, VALIDATION, NONE, null);
                TrainingResult floats = new Solver(config.toBuilder().precision(Precision.FLOAT32).build())
                        .train(net(), DATA, VALIDATION, NONE, null);
                double[] a = doubles.lossHistory();
                double[] b = floats.lossHistory();
                assertThat(b).hasSameSizeAs(a);
                // the same minibatches: the first loss differs by float rounding only, later ones drift a little
                assertThat(b[0]).as("%s %s first loss", loss, rule).isCloseTo(a[0], within(1e-5 * Math.abs(a[0])));
                for (int i = 0; i < a.length; i++) {
                    assertThat(b[i]).as("%s %s loss %d", loss, rule, i).isCloseTo(a[i], within(1e-3 * Math.abs(a[i]) + 1e-6));
                }
                // the returned weights are floats
                for (double w : floats.best().w1()) {
                    assertThat((double) (float) w).isEqualTo(w);
                }
            }
        }
    }

    /**
     * Columns at float's edges: values near its largest magnitude (x minus their mean overflows a float), a spread
     * of subnormals (one over their scale overflows a float), and a large offset over a small spread (rounding the
     * mean to a float moves the centred values). The gather preprocesses them in 64 bits and rounds once, so the
     * float32 run follows the float64 one as on ordinary data.
     */
    @Test
    void preprocessesColumnsAtFloatsEdgesIn64Bits() {
        int n = 200;
        SplitMix64 rng = new SplitMix64(5);
        float[] values = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double signal = rng.nextGaussian();
            values[i * 4] = i % 10 == 0 ? -3.4e38f : 3.3e38f;
            values[i * 4 + 1] = (float) (signal * 1e-39);
            values[i * 4 + 2] = (float) (1.0e6 + Math.round(signal * 8) / 8.0);
            values[i * 4 + 3] = (float) rng.nextGaussian();
            labels[i] = signal > 0 ? 1 : 0;
        }
        Samples data = new Samples(n, 4, 2, values, labels);
        for (Preprocessing.Kind kind : List.of(Preprocessing.Kind.STANDARDIZE, Preprocessing.Kind.SCALE)) {
            Preprocessing pre = Preprocessing.fit(kind, data);
            assertThat(Elementwise32.needsWideGather(pre.offset(), pre.scale())).as(kind.wireName()).isTrue();
            SolverConfig config = SolverConfig.builder().epochs(20).batchSize(20).learningRate(0.005).seed(2).build();
            TwoLayerNet start = TwoLayerNet.initialize(4, 16, 2, InitKind.HE, 0, 3);
            TrainingResult doubles = new Solver(config).train(start, data, data, pre, null);
            TrainingResult floats = new Solver(config.toBuilder().precision(Precision.FLOAT32).build())
                    .train(start, data, data, pre, null);
            double[] a = doubles.lossHistory();
            double[] b = floats.lossHistory();
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).as("%s loss %d", kind.wireName(), i).isCloseTo(a[i], within(1e-3 * Math.abs(a[i])));
            }
            // and both learn the signal that only the tiny and the offset columns carry
            assertThat(floats.bestValAccuracy()).as(kind.wireName()).isGreaterThan(0.7)
                    .isCloseTo(doubles.bestValAccuracy(), within(0.02));
        }
        // ordinary columns keep the vector float gather
        Preprocessing ordinary = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, DATA);
        assertThat(Elementwise32.needsWideGather(ordinary.offset(), ordinary.scale())).isFalse();
        assertThat(Elementwise32.needsWideGather(new double[] {0, 255}, new double[] {1, 255})).isFalse();
        assertThat(Elementwise32.needsWideGather(new double[] {1e5}, new double[] {1})).as("a float offset").isFalse();
        assertThat(Elementwise32.needsWideGather(new double[] {1e5 + 0.1}, new double[] {1})).isTrue();
    }

    @Test
    void resumeFromACheckpointContinuesBitForBit() {
        for (UpdateRuleKind rule : UpdateRuleKind.values()) {
            SolverConfig config = small().epochs(4).updateRule(rule).precision(Precision.FLOAT32)
                    .learningRate(rule == UpdateRuleKind.SGD ? 0.05 : 0.005).regularization(RegularizationKind.L2)
                    .trainAccuracySample(100).build();
            List<byte[]> checkpoints = new ArrayList<>();
            TrainingResult whole = new Solver(config).train(net(), DATA, VALIDATION, NONE, new TrainingListener() {
                @Override
                public void onCheckpoint(SolverState state) {
                    checkpoints.add(state.toBytes());
                }
            });
            SolverState afterTwo = SolverState.fromBytes(checkpoints.get(1));
            TrainingResult resumed = new Solver(config).resume(afterTwo, DATA, VALIDATION, NONE, null);
            assertThat(resumed.lossHistory()).as(rule.wireName()).containsExactly(whole.lossHistory());
            assertThat(resumed.best()).isEqualTo(whole.best());
        }
    }

    @Test
    void sameSeedRepeatsBitForBit() {
        SolverConfig config = small().precision(Precision.FLOAT32).build();
        TrainingResult first = new Solver(config).train(net(), DATA, null, NONE, null);
        TrainingResult second = new Solver(config).train(net(), DATA, null, NONE, null);
        assertThat(second.lossHistory()).containsExactly(first.lossHistory());
        assertThat(second.best()).isEqualTo(first.best());
    }

    @Test
    void learnsASeparableProblem() {
        // class = the quadrant of two informative features; the other features are noise
        SplitMix64 rng = new SplitMix64(5);
        int n = 800;
        float[] values = new float[n * 6];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                values[i * 6 + j] = (float) rng.nextGaussian();
            }
            labels[i] = (values[i * 6] > 0 ? 1 : 0) + (values[i * 6 + 1] > 0 ? 2 : 0);
        }
        Samples all = new Samples(n, 6, 4, values, labels);
        Samples[] split = TestData.split(all, 0.25, 1);
        SolverConfig config = SolverConfig.builder().epochs(30).batchSize(50).learningRate(0.5)
                .precision(Precision.FLOAT32).build();
        TrainingResult result = new Solver(config).train(TwoLayerNet.initialize(6, 32, 4, InitKind.HE, 0, 2),
                split[0], split[1], Preprocessing.none(6), null);
        assertThat(result.bestValAccuracy()).isGreaterThan(0.9);
    }

    @Test
    void aFloat32NetworkScoresLikeTheFloat64PassOfTheSameWeights() {
        TwoLayerNet trained = TwoLayerNet.initialize(784, 100, 10, InitKind.GAUSSIAN, 0.05, 4);
        // weights rounded to float, as a float32 training run leaves them
        NetworkParameters p = roundedToFloat(trained.parameters());
        TwoLayerNet doubles = TwoLayerNet.of(p);
        TwoLayerNet floats = TwoLayerNet.of(p, Precision.FLOAT32);
        assertThat(floats.precision()).isEqualTo(Precision.FLOAT32);
        SplitMix64 rng = new SplitMix64(8);
        int rows = 37;
        double[] x = new double[rows * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(256) / 255.0;
        }
        double[] s64 = doubles.scores(x, rows);
        double[] s32 = floats.scores(x, rows);
        double[] p64 = TwoLayerNet.softmax(s64, rows, 10);
        double[] p32 = TwoLayerNet.softmax(s32, rows, 10);
        double largest = 0;
        for (double v : s64) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (int i = 0; i < s64.length; i++) {
            assertThat(s32[i]).isCloseTo(s64[i], within(1e-5 * largest));
            assertThat(p32[i]).isCloseTo(p64[i], within(1e-5));
        }
    }

    private static NetworkParameters roundedToFloat(NetworkParameters p) {
        return new NetworkParameters(p.inputSize(), p.hiddenSize(), p.numClasses(), round(p.w1()), round(p.b1()),
                round(p.w2()), round(p.b2()));
    }

    private static double[] round(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
