package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shipped data sets train to good accuracy on a held-out fifth (rows never seen in training). */
class RealDataTest {

    @Test
    void iris() {
        Samples all = TestData.csv("/samples/iris.csv");
        assertThat(all.rows()).isEqualTo(150);
        assertThat(all.classes()).isEqualTo(3);
        Samples[] split = TestData.split(all, 0.2, 42);
        Preprocessing standardize = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, split[0]);
        SolverConfig config = SolverConfig.builder().epochs(100).batchSize(20).learningRate(0.05)
                .updateRule(UpdateRuleKind.MOMENTUM).lrDecay(0.99).reg(1e-3).seed(7).build();
        TrainingResult result = new Solver(config).train(TwoLayerNet.initialize(4, 20, 3, InitKind.HE, 0, 7),
                split[0], null, standardize, null);
        double accuracy = TestData.accuracy(TwoLayerNet.of(result.best()), split[1], standardize);
        System.out.println("iris held-out accuracy " + accuracy);
        assertThat(accuracy).as("iris held-out accuracy").isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void digits() {
        Samples all = TestData.csv("/samples/digits.csv.gz");
        assertThat(all.rows()).isEqualTo(1797);
        assertThat(all.features()).isEqualTo(64);
        Samples[] split = TestData.split(all, 0.2, 42);
        Preprocessing scale = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, split[0]);
        SolverConfig config = SolverConfig.builder().epochs(40).batchSize(50).learningRate(0.05).lrDecay(0.95).updateRule(UpdateRuleKind.MOMENTUM)
                .reg(1e-4).seed(7).build();
        TrainingResult result = new Solver(config).train(TwoLayerNet.initialize(64, 100, 10, InitKind.HE, 0, 7),
                split[0], null, scale, null);
        double accuracy = TestData.accuracy(TwoLayerNet.of(result.best()), split[1], scale);
        System.out.println("digits held-out accuracy " + accuracy);
        assertThat(accuracy).as("digits held-out accuracy").isGreaterThanOrEqualTo(0.95);
    }
}
