package io.nnserve.nn;

import static io.nnserve.nn.GradientCheck.assertClose;
import static io.nnserve.nn.GradientCheck.numeric;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ojalgo.matrix.store.R064Store;

/** Every analytic gradient against central differences in double precision (relative error below 1e-7). */
class GradientCheckTest {

    private static final double KINK_DISTANCE = 1e-3;

    private static double weightedSum(R064Store out, R064Store dOut) {
        double s = 0.0;
        for (int k = 0; k < out.data.length; k++) {
            s += out.data[k] * dOut.data[k];
        }
        return s;
    }

    @Test
    void affine() {
        SplitMix64 rng = new SplitMix64(1);
        R064Store x = TestData.gaussian(4, 5, 1.0, rng);
        R064Store w = TestData.gaussian(5, 3, 1.0, rng);
        R064Store b = TestData.gaussian(1, 3, 1.0, rng);
        R064Store dOut = TestData.gaussian(4, 3, 1.0, rng);
        R064Store out = R064Store.FACTORY.make(4, 3);
        R064Store dX = R064Store.FACTORY.make(4, 5);
        R064Store dW = R064Store.FACTORY.make(5, 3);
        R064Store db = R064Store.FACTORY.make(1, 3);
        Layers.affineBackward(dOut, x, w, dX, dW, db);
        java.util.function.DoubleSupplier f = () -> {
            Layers.affineForward(x, w, b, out);
            return weightedSum(out, dOut);
        };
        assertClose("affine dX", dX.data, numeric(f, x.data));
        assertClose("affine dW", dW.data, numeric(f, w.data));
        assertClose("affine db", db.data, numeric(f, b.data));
    }

    @Test
    void affineForwardIsXTimesWPlusB() {
        R064Store x = R064Store.FACTORY.rows(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        R064Store w = R064Store.FACTORY.rows(new double[][] {{1, 0, -1}, {2, 1, 0}});
        R064Store b = R064Store.FACTORY.rows(new double[][] {{0.5, -0.5, 1}});
        R064Store out = R064Store.FACTORY.make(3, 3);
        Layers.affineForward(x, w, b, out);
        assertThat(out.doubleValue(0, 0)).isEqualTo(5.5);
        assertThat(out.doubleValue(1, 1)).isEqualTo(3.5);
        assertThat(out.doubleValue(2, 2)).isEqualTo(-4.0);
    }

    @Test
    void relu() {
        SplitMix64 rng = new SplitMix64(2);
        R064Store a = awayFromZero(TestData.gaussian(6, 5, 1.0, rng));
        R064Store dOut = TestData.gaussian(6, 5, 1.0, rng);
        R064Store out = R064Store.FACTORY.make(6, 5);
        R064Store dA = R064Store.FACTORY.make(6, 5);
        Layers.reluBackward(dOut, a, dA);
        assertClose("relu", dA.data, numeric(() -> {
            Layers.reluForward(a, out);
            return weightedSum(out, dOut);
        }, a.data));
        assertThat(dA.data).contains(0.0);
    }

    @Test
    void affineReluChain() {
        SplitMix64 rng = new SplitMix64(3);
        R064Store x = TestData.gaussian(4, 5, 1.0, rng);
        R064Store w = TestData.gaussian(5, 6, 1.0, rng);
        R064Store b = TestData.gaussian(1, 6, 1.0, rng);
        R064Store dOut = TestData.gaussian(4, 6, 1.0, rng);
        R064Store a = R064Store.FACTORY.make(4, 6);
        R064Store out = R064Store.FACTORY.make(4, 6);
        Layers.affineReluForward(x, w, b, a, out);
        assertThat(minAbs(a)).as("pre-activations away from the ReLU kink").isGreaterThan(KINK_DISTANCE);
        R064Store dA = R064Store.FACTORY.make(4, 6);
        R064Store dX = R064Store.FACTORY.make(4, 5);
        R064Store dW = R064Store.FACTORY.make(5, 6);
        R064Store db = R064Store.FACTORY.make(1, 6);
        Layers.affineReluBackward(dOut, x, w, a, dA, dX, dW, db);
        java.util.function.DoubleSupplier f = () -> {
            Layers.affineReluForward(x, w, b, a, out);
            return weightedSum(out, dOut);
        };
        assertClose("affine-relu dX", dX.data, numeric(f, x.data));
        assertClose("affine-relu dW", dW.data, numeric(f, w.data));
        assertClose("affine-relu db", db.data, numeric(f, b.data));
    }

    @Test
    void softmaxLoss() {
        SplitMix64 rng = new SplitMix64(4);
        R064Store scores = TestData.gaussian(7, 5, 2.0, rng);
        int[] y = labels(7, 5, rng);
        R064Store dScores = R064Store.FACTORY.make(7, 5);
        Losses.softmax(scores, y, dScores);
        assertClose("softmax", dScores.data, numeric(() -> Losses.softmax(scores, y, null), scores.data));
    }

    @Test
    void svmLoss() {
        for (long seed = 5; ; seed++) {
            SplitMix64 rng = new SplitMix64(seed);
            R064Store scores = TestData.gaussian(7, 5, 2.0, rng);
            int[] y = labels(7, 5, rng);
            if (nearestMargin(scores, y, 1.0) < KINK_DISTANCE) {
                continue;
            }
            R064Store dScores = R064Store.FACTORY.make(7, 5);
            Losses.svm(scores, y, 1.0, dScores);
            assertClose("svm", dScores.data, numeric(() -> Losses.svm(scores, y, 1.0, null), scores.data));
            return;
        }
    }

    @ParameterizedTest(name = "{0} loss, {1} reg {2}")
    @CsvSource({
        "SOFTMAX, NONE, 0.0",
        "SOFTMAX, L2, 0.7",
        "SOFTMAX, L1, 0.3",
        "SVM, NONE, 0.0",
        "SVM, L2, 0.7",
        "SVM, L1, 0.3",
    })
    void wholeNet(LossKind loss, RegularizationKind regularization, double reg) {
        int n = 5;
        for (long seed = 10; ; seed++) {
            SplitMix64 rng = new SplitMix64(seed);
            Params p = Params.zeros(6, 8, 4);
            for (R064Store s : p.stores()) {
                System.arraycopy(TestData.gaussian(s.getRowDim(), s.getColDim(), 0.5, rng).data, 0, s.data, 0, s.data.length);
            }
            Workspace w = Workspace.forTraining(n, p);
            w.setInputs(TestData.gaussian(n, 6, 1.0, rng).data);
            System.arraycopy(labels(n, 4, rng), 0, w.y, 0, n);
            w.scores(p);
            if (minAbs(w.a1) < KINK_DISTANCE || (loss == LossKind.SVM && nearestMargin(w.scores, w.y, 1.0) < KINK_DISTANCE)
                    || (regularization == RegularizationKind.L1 && Math.min(minAbs(p.w1), minAbs(p.w2)) < KINK_DISTANCE)) {
                continue;
            }
            Params grads = Params.zerosLike(p);
            double value = w.lossAndGradients(p, grads, loss, 1.0, regularization, reg);
            assertThat(value).isPositive();
            Params scratch = Params.zerosLike(p);
            java.util.function.DoubleSupplier f = () -> w.lossAndGradients(p, scratch, loss, 1.0, regularization, reg);
            String[] names = {"W1", "b1", "W2", "b2"};
            for (int k = 0; k < 4; k++) {
                assertClose(names[k], grads.stores()[k].data, numeric(f, p.stores()[k].data));
            }
            return;
        }
    }

    @Test
    void regularizationTermsAreTheDocumentedOnes() {
        R064Store w = R064Store.FACTORY.rows(new double[][] {{1, -2}, {0, 3}});
        assertThat(Regularization.penalty(RegularizationKind.L2, 0.5, w)).isEqualTo(0.5 * 0.5 * 14);
        assertThat(Regularization.penalty(RegularizationKind.L1, 0.5, w)).isEqualTo(0.5 * 6);
        assertThat(Regularization.penalty(RegularizationKind.NONE, 0.5, w)).isZero();
        R064Store g = R064Store.FACTORY.make(2, 2);
        Regularization.addGradient(RegularizationKind.L1, 0.5, w, g);
        assertThat(g.data).containsExactly(0.5, 0.0, -0.5, 0.5);
    }

    private static R064Store awayFromZero(R064Store s) {
        for (int k = 0; k < s.data.length; k++) {
            if (Math.abs(s.data[k]) < 0.1) {
                s.data[k] += s.data[k] >= 0 ? 0.1 : -0.1;
            }
        }
        return s;
    }

    private static int[] labels(int n, int classes, SplitMix64 rng) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return y;
    }

    private static double minAbs(R064Store s) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : s.data) {
            min = Math.min(min, Math.abs(v));
        }
        return min;
    }

    /** The smallest |s_j - s_y + Δ| over wrong classes: the distance to the hinge's kink. */
    private static double nearestMargin(R064Store scores, int[] y, double delta) {
        int n = scores.getRowDim();
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < scores.getColDim(); j++) {
                if (j != y[i]) {
                    min = Math.min(min, Math.abs(scores.doubleValue(i, j) - scores.doubleValue(i, y[i]) + delta));
                }
            }
        }
        return min;
    }
}
