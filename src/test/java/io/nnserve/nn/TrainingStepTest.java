package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The fused, transposed training steps compute what the CS231n-shaped reference computes: {@link Workspace}'s
 * forward and backward pass (gradient-checked in {@link GradientCheckTest}) followed by {@link UpdateRule}, on the
 * same minibatches, for every loss, penalty and update rule. Float64Step agrees to double rounding, Float32Step to
 * float rounding.
 */
class TrainingStepTest {

    private static final int FEATURES = 21; // not a multiple of any vector width: every tail runs
    private static final int HIDDEN = 19;
    private static final int CLASSES = 5;
    private static final int BATCH = 61;

    @Test
    void float64StepMatchesTheReferenceIterationByIteration() {
        for (LossKind loss : LossKind.values()) {
            for (RegularizationKind regularization : RegularizationKind.values()) {
                for (UpdateRuleKind rule : UpdateRuleKind.values()) {
                    compare(Precision.FLOAT64, loss, regularization, rule, 1e-12);
                }
            }
        }
    }

    @Test
    void float32StepMatchesTheReferenceUpToFloatRounding() {
        for (LossKind loss : LossKind.values()) {
            for (UpdateRuleKind rule : UpdateRuleKind.values()) {
                compare(Precision.FLOAT32, loss, RegularizationKind.L2, rule, 1e-4);
            }
        }
    }

    /**
     * The evaluation after each epoch: the step's count of correctly classified rows is that of the served network
     * with the same weights in the same precision, over several blocks (the last one short, rows repeated).
     */
    @Test
    void correctCountsWhatTheServedNetworkClassifiesCorrectly() {
        for (Precision precision : Precision.values()) {
            Samples data = TestData.randomSamples(700, FEATURES, CLASSES, 12);
            Preprocessing pre = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, data);
            Params weights = TwoLayerNet.initialize(FEATURES, HIDDEN, CLASSES, InitKind.HE, 0, 13).params();
            TrainingStep step = TrainingStep.create(precision, weights, BATCH, UpdateRuleKind.SGD, 0);
            Params stored = Params.zerosLike(weights);
            step.storeInto(stored);
            TwoLayerNet served = TwoLayerNet.of(stored.toNetworkParameters(), precision);
            SplitMix64 rng = new SplitMix64(14);
            int[] indices = new int[600]; // blocks of 256: two full, one of 88
            for (int k = 0; k < indices.length; k++) {
                indices[k] = rng.nextInt(data.rows());
            }
            double[] raw = new double[FEATURES];
            double[] x = new double[FEATURES];
            int expected = 0;
            for (int index : indices) {
                for (int j = 0; j < FEATURES; j++) {
                    raw[j] = data.value(index, j);
                }
                pre.apply(raw, 0, x, 0);
                double[] scores = served.scores(x, 1);
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    best = scores[c] > scores[best] ? c : best;
                }
                expected += best == data.labels()[index] ? 1 : 0;
            }
            assertThat(expected).as("the random network gets some right and some wrong").isBetween(1, 599);
            assertThat(step.correct(data, indices, pre)).as(precision.wireName()).isEqualTo(expected);
        }
    }

    /**
     * A first layer large enough (300 inputs, 61 hidden units, batch 61: 2.2 MFLOP per product) that its two parts
     * run on the products' helper thread and the caller, for every penalty and update rule.
     */
    @Test
    void aLayerSharedBetweenTwoThreadsMatchesTheReference() {
        assertThat(2L * 300 * 61 * BATCH).isGreaterThanOrEqualTo(VectorProducts.PARALLEL_MIN_FLOPS);
        for (RegularizationKind regularization : RegularizationKind.values()) {
            for (UpdateRuleKind rule : UpdateRuleKind.values()) {
                compare(Precision.FLOAT64, LossKind.SOFTMAX, regularization, rule, 1e-12, 300, 61);
                compare(Precision.FLOAT32, LossKind.SOFTMAX, regularization, rule, 1e-4, 300, 61);
            }
        }
    }

    /**
     * Layer 1's parts compute the same arithmetic whichever thread runs them, so a run gives the same bits on one
     * thread as on two (and resumes bit for bit on a machine with another number of cores).
     */
    @Test
    @EnabledIf(value = "io.nnserve.nn.EngineKernel#hardwareFma",
            disabledReason = "the vector kernel needs a CPU with a fused multiply-add")
    void oneThreadAndTwoThreadsGiveTheSameBits() {
        for (Precision precision : Precision.values()) {
            Params[] results = new Params[2];
            for (int threads = 1; threads <= 2; threads++) {
                MatrixProducts previous = MatrixProducts.use(new VectorProducts(threads));
                try {
                    Samples data = TestData.randomSamples(200, 300, CLASSES, 4);
                    Preprocessing pre = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, data);
                    Params initial = TwoLayerNet.initialize(300, 61, CLASSES, InitKind.HE, 0, 6).params();
                    TrainingStep step = TrainingStep.create(precision, initial, BATCH, UpdateRuleKind.ADAM, 0.9);
                    SplitMix64 rng = new SplitMix64(9);
                    int[] indices = new int[BATCH];
                    for (int it = 0; it < 12; it++) {
                        for (int k = 0; k < BATCH; k++) {
                            indices[k] = rng.nextInt(data.rows());
                        }
                        step.lossAndGradients(data, indices, pre, LossKind.SOFTMAX, 1.0, RegularizationKind.L2, 1e-2);
                        step.update(0.003);
                    }
                    results[threads - 1] = Params.zerosLike(initial);
                    step.storeInto(results[threads - 1]);
                } finally {
                    MatrixProducts.use(previous);
                }
            }
            assertThat(results[1].w1.data).as(precision.wireName() + " W1").containsExactly(results[0].w1.data);
            assertThat(results[1].b1.data).as(precision.wireName() + " b1").containsExactly(results[0].b1.data);
            assertThat(results[1].w2.data).as(precision.wireName() + " W2").containsExactly(results[0].w2.data);
            assertThat(results[1].b2.data).as(precision.wireName() + " b2").containsExactly(results[0].b2.data);
        }
    }

    private static void compare(Precision precision, LossKind loss, RegularizationKind regularization,
                                UpdateRuleKind kind, double tolerance) {
        compare(precision, loss, regularization, kind, tolerance, FEATURES, HIDDEN);
    }

    private static void compare(Precision precision, LossKind loss, RegularizationKind regularization,
                                UpdateRuleKind kind, double tolerance, int features, int hidden) {
        String what = precision.wireName() + " " + loss.wireName() + " " + regularization.wireName() + " "
                + kind.wireName() + " " + features + "-" + hidden;
        Samples data = TestData.randomSamples(200, features, CLASSES, 4);
        Preprocessing pre = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, data);
        Params reference = TwoLayerNet.initialize(features, hidden, CLASSES, InitKind.HE, 0, 6).params();
        Params grads = Params.zerosLike(reference);
        Workspace workspace = Workspace.forTraining(BATCH, reference);
        UpdateRule rule = UpdateRule.create(kind, 0.9, reference);
        TrainingStep step = TrainingStep.create(precision, reference, BATCH, kind, 0.9);
        step.storeInto(reference); // both start from the step's rounding of the weights
        double lr = kind == UpdateRuleKind.SGD || kind == UpdateRuleKind.MOMENTUM ? 0.05 : 0.003;
        SplitMix64 rng = new SplitMix64(9);
        int[] indices = new int[BATCH];
        for (int it = 0; it < 12; it++) {
            for (int k = 0; k < BATCH; k++) {
                indices[k] = rng.nextInt(data.rows());
            }
            workspace.gather(data, indices, 0, pre);
            double expected = workspace.lossAndGradients(reference, grads, loss, 1.0, regularization, 1e-2);
            rule.update(reference, grads, lr);
            double actual = step.lossAndGradients(data, indices, pre, loss, 1.0, regularization, 1e-2);
            step.update(lr);
            assertThat(actual).as("%s loss %d", what, it).isCloseTo(expected, within(tolerance * Math.abs(expected)));
        }
        Params fromStep = Params.zerosLike(reference);
        step.storeInto(fromStep);
        assertClose(what + " weights", fromStep.w1.data, reference.w1.data, tolerance);
        assertClose(what + " b1", fromStep.b1.data, reference.b1.data, tolerance);
        assertClose(what + " W2", fromStep.w2.data, reference.w2.data, tolerance);
        assertClose(what + " b2", fromStep.b2.data, reference.b2.data, tolerance);
        assertThat(step.steps()).isEqualTo(rule.steps);
        double[][] expectedState = rule.state();
        double[][] actualState = step.ruleState();
        assertThat(actualState.length).isEqualTo(expectedState.length);
        for (int b = 0; b < expectedState.length; b++) {
            assertClose(what + " rule buffer " + b, actualState[b], expectedState[b], tolerance * 10);
        }
    }

    private static void assertClose(String what, double[] actual, double[] expected, double tolerance) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(tolerance * scale + 1e-300));
        }
    }
}
