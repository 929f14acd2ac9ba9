package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.ojalgo.matrix.store.R064Store;

/** CS231n's sanity checks: the loss at chance, the classic SVM example. */
class LossSanityTest {

    private static double initialLoss(LossKind loss, int classes) {
        TwoLayerNet net = TwoLayerNet.initialize(30, 50, classes, InitKind.GAUSSIAN, TwoLayerNet.DEFAULT_WEIGHT_SCALE, 7);
        Samples data = TestData.randomSamples(200, 30, classes, 8);
        Params p = net.params();
        Workspace w = Workspace.forTraining(200, p);
        int[] all = new int[200];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        w.gather(data, all, 0, Preprocessing.none(30));
        return w.lossAndGradients(p, Params.zerosLike(p), loss, 1.0, RegularizationKind.NONE, 0.0);
    }

    @Test
    void softmaxAtChanceIsLnC() {
        assertThat(initialLoss(LossKind.SOFTMAX, 10)).isCloseTo(Math.log(10), within(0.05));
        assertThat(initialLoss(LossKind.SOFTMAX, 3)).isCloseTo(Math.log(3), within(0.05));
    }

    @Test
    void svmAtChanceIsCMinusOne() {
        assertThat(initialLoss(LossKind.SVM, 10)).isCloseTo(9.0, within(0.05));
        assertThat(initialLoss(LossKind.SVM, 3)).isCloseTo(2.0, within(0.05));
    }

    @Test
    void classicSvmExample() {
        // scores (3.2, 5.1, -1.7), true class 0: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9 + 0
        R064Store scores = R064Store.FACTORY.rows(new double[][] {{3.2, 5.1, -1.7}});
        R064Store d = R064Store.FACTORY.make(1, 3);
        assertThat(Losses.svm(scores, new int[] {0}, 1.0, d)).isCloseTo(2.9, within(1e-12));
        assertThat(d.data).containsExactly(-1.0, 1.0, 0.0);
        assertThat(Losses.svm(scores, new int[] {0}, 2.0, null)).isCloseTo(3.9, within(1e-12));
    }

    @Test
    void softmaxSurvivesHugeScores() {
        R064Store scores = R064Store.FACTORY.rows(new double[][] {{1000, 0, -1000}, {1e5, 1e5, 0}});
        R064Store d = R064Store.FACTORY.make(2, 3);
        double loss = Losses.softmax(scores, new int[] {0, 2}, d);
        assertThat(loss).isCloseTo((0 + (1e5 + Math.log(2))) / 2, within(1e-6));
        assertThat(d.data).doesNotContain(Double.NaN);
        double[] p = TwoLayerNet.softmax(new double[] {1000, 0, -1000, 1e5, 1e5, 0}, 2, 3);
        assertThat(p[0]).isEqualTo(1.0);
        assertThat(p[3]).isEqualTo(0.5);
        assertThat(p[4]).isEqualTo(0.5);
    }
}
