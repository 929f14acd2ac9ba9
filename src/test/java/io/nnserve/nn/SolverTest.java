package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SolverTest {

    private static final Samples DATA = TestData.randomSamples(300, 12, 4, 21);
    private static final Samples VALIDATION = TestData.randomSamples(90, 12, 4, 22);
    private static final Preprocessing NONE = Preprocessing.none(12);

    private static SolverConfig.Builder small() {
        return SolverConfig.builder().epochs(4).batchSize(25).learningRate(0.05).seed(3);
    }

    private static TwoLayerNet net(long seed) {
        return TwoLayerNet.initialize(12, 16, 4, InitKind.HE, 0, seed);
    }

    @Test
    void overfitsTwentySamples() {
        Samples twenty = TestData.randomSamples(20, 10, 3, 5);
        SolverConfig config = SolverConfig.builder().epochs(200).batchSize(20).learningRate(0.5).lrDecay(1.0)
                .reg(0).sampling(SamplingKind.SHUFFLE).seed(1).build();
        TrainingResult result = new Solver(config).train(TwoLayerNet.initialize(10, 50, 3, InitKind.GAUSSIAN, 0.1, 1),
                twenty, null, Preprocessing.none(10), null);
        assertThat(result.trainAccuracy()).isEqualTo(1.0);
        assertThat(TestData.accuracy(TwoLayerNet.of(result.best()), twenty, Preprocessing.none(10))).isEqualTo(1.0);
        assertThat(result.lossHistory()[result.iterations() - 1]).isLessThan(0.05);
    }

    @Test
    void countsIterationsAndEpochsAndDecaysTheLearningRate() {
        List<int[]> calls = new ArrayList<>();
        TrainingResult result = new Solver(small().lrDecay(0.5).build()).train(net(1), DATA, VALIDATION, NONE,
                new TrainingListener() {
                    @Override
                    public boolean onIteration(int iteration, int epoch, double loss) {
                        calls.add(new int[] {iteration, epoch});
                        return true;
                    }
                });
        assertThat(result.outcome()).isEqualTo(TrainingResult.Outcome.COMPLETED);
        assertThat(result.iterations()).isEqualTo(4 * 12).isEqualTo(result.lossHistory().length);
        assertThat(calls).hasSize(48);
        assertThat(calls.get(0)).containsExactly(0, 1);
        assertThat(calls.get(47)).containsExactly(47, 4);
        assertThat(result.epochs()).extracting(EpochMetrics::learningRate).containsExactly(0.05, 0.025, 0.0125, 0.00625);
        assertThat(result.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3, 4);
        assertThat(result.epochs()).allSatisfy(m -> assertThat(m.valAccuracy()).isNotNull().isBetween(0.0, 1.0));
        assertThat(small().build().iterationsPerEpoch(10)).isEqualTo(1);
    }

    @Test
    void firstLossIsTheRegularizedLossAtTheInitialWeights() {
        // one batch = the whole data set (shuffled), so the first loss is the full loss at the initial weights
        SolverConfig config = small().batchSize(300).sampling(SamplingKind.SHUFFLE).reg(0.3).build();
        TwoLayerNet start = net(2);
        TrainingResult result = new Solver(config).train(start, DATA, null, NONE, null);
        Params p = start.params();
        Workspace w = Workspace.forTraining(300, p);
        int[] all = new int[300];
        for (int i = 0; i < 300; i++) {
            all[i] = i;
        }
        w.gather(DATA, all, 0, NONE);
        double expected = w.lossAndGradients(p, Params.zerosLike(p), LossKind.SOFTMAX, 1.0, RegularizationKind.L2, 0.3);
        assertThat(result.lossHistory()[0]).isCloseTo(expected, within(1e-12));
        assertThat(expected - Math.log(4)).as("the L2 term is in the loss").isGreaterThan(0.1);
        assertThat(start.parameters()).as("the given net is not modified").isEqualTo(net(2).parameters());
    }

    @Test
    void sameSeedRepeatsBitForBitAndAnotherSeedDiffers() {
        for (SamplingKind sampling : SamplingKind.values()) {
            SolverConfig config = small().sampling(sampling).updateRule(UpdateRuleKind.MOMENTUM).build();
            TrainingResult a = new Solver(config).train(net(config.seed()), DATA, VALIDATION, NONE, null);
            TrainingResult b = new Solver(config).train(net(config.seed()), DATA, VALIDATION, NONE, null);
            SolverConfig other = config.toBuilder().seed(4).build();
            TrainingResult c = new Solver(other).train(net(other.seed()), DATA, VALIDATION, NONE, null);
            assertThat(b.lossHistory()).containsExactly(a.lossHistory());
            assertThat(b.best()).isEqualTo(a.best());
            assertThat(b.epochs()).isEqualTo(a.epochs());
            assertThat(c.lossHistory()).isNotEqualTo(a.lossHistory());
            assertThat(c.best()).isNotEqualTo(a.best());
        }
        assertThat(net(1).parameters()).isEqualTo(net(1).parameters()).isNotEqualTo(net(2).parameters());
    }

    @Test
    void resumeFromACheckpointContinuesBitForBit() {
        for (UpdateRuleKind rule : UpdateRuleKind.values()) {
            SolverConfig config = small().epochs(5).updateRule(rule).learningRate(rule == UpdateRuleKind.SGD ? 0.05 : 0.005)
                    .regularization(RegularizationKind.L1).sampling(rule.ordinal() % 2 == 0 ? SamplingKind.SHUFFLE : SamplingKind.REPLACEMENT)
                    .trainAccuracySample(100).build();
            Checkpoints checkpoints = new Checkpoints();
            TrainingResult whole = new Solver(config).train(net(9), DATA, VALIDATION, NONE, checkpoints);
            assertThat(checkpoints.states).hasSize(5);
            SolverState afterTwo = SolverState.fromBytes(checkpoints.bytes(1));
            assertThat(afterTwo.epochsDone()).isEqualTo(2);
            assertThat(afterTwo.iteration()).isEqualTo(24);
            Checkpoints laterCheckpoints = new Checkpoints();
            TrainingResult resumed = new Solver(config).resume(afterTwo, DATA, VALIDATION, NONE, laterCheckpoints);
            assertThat(resumed.lossHistory()).as(rule.wireName()).containsExactly(whole.lossHistory());
            assertThat(resumed.best()).isEqualTo(whole.best());
            assertThat(resumed.epochs()).isEqualTo(whole.epochs());
            assertThat(resumed.bestValAccuracy()).isEqualTo(whole.bestValAccuracy());
            assertThat(resumed.trainAccuracy()).isEqualTo(whole.trainAccuracy());
            assertThat(laterCheckpoints.bytes(2)).isEqualTo(checkpoints.bytes(4));
        }
    }

    @Test
    void resumeMayTrainLongerButNotChangeTheRecipe() {
        SolverConfig config = small().epochs(2).build();
        Checkpoints checkpoints = new Checkpoints();
        new Solver(config).train(net(1), DATA, null, NONE, checkpoints);
        SolverState last = checkpoints.get(1);
        TrainingResult longer = new Solver(config.toBuilder().epochs(4).build()).resume(last, DATA, null, NONE, null);
        TrainingResult straight = new Solver(config.toBuilder().epochs(4).build()).train(net(1), DATA, null, NONE, null);
        assertThat(longer.iterations()).isEqualTo(48);
        assertThat(longer.lossHistory()).containsExactly(straight.lossHistory());
        assertThatThrownBy(() -> new Solver(config.toBuilder().learningRate(1).build()).resume(last, DATA, null, NONE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only epochs may change");
        assertThatThrownBy(() -> new Solver(config).resume(last, VALIDATION, null, NONE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300 training rows");
    }

    @Test
    void nonFiniteLossRaisesTheDivergedError() {
        SolverConfig config = small().epochs(50).learningRate(1e12).build();
        assertThatThrownBy(() -> new Solver(config).train(TwoLayerNet.initialize(12, 16, 4, InitKind.GAUSSIAN, 1.0, 1),
                DATA, null, NONE, null))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageMatching("training diverged at iteration \\d+ .*lower the learning rate.*")
                .satisfies(e -> assertThat(((TrainingDivergedException) e).iteration()).isPositive());
    }

    @Test
    void aNonFiniteFirstLossSaysTheScaleIsTheCauseNotTheLearningRate() {
        // weights of 1e300: the very first scores overflow, before any update
        SolverConfig config = small().build();
        assertThatThrownBy(() -> new Solver(config).train(TwoLayerNet.initialize(12, 16, 4, InitKind.GAUSSIAN, 1e300, 1),
                DATA, null, NONE, null))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("training failed at its first minibatch")
                .hasMessageContaining("the learning rate is not the cause")
                .hasMessageNotContaining("lower the learning rate")
                .satisfies(e -> assertThat(((TrainingDivergedException) e).iteration()).isZero());
    }

    @Test
    void explodingButFiniteLossWithAdamIsDivergenceWithinTheFirstEpoch() {
        // adam's normalised steps keep the weights finite at a learning rate of 1e6: the loss reaches ~1e13 and stays
        // finite, so only the growth test can catch it.
        SolverConfig config = small().epochs(50).learningRate(1e6).updateRule(UpdateRuleKind.ADAM).build();
        assertThatThrownBy(() -> new Solver(config).train(net(1), DATA, null, NONE, null))
                .isInstanceOf(TrainingDivergedException.class)
                .satisfies(e -> assertThat(((TrainingDivergedException) e).iteration())
                        .isPositive().isLessThan(config.iterationsPerEpoch(DATA.rows())))
                .satisfies(e -> assertThat(((TrainingDivergedException) e).loss()).isFinite());
    }

    @Test
    void aLossThatMerelyRisesIsNotDivergence() {
        // A learning rate too high to converge well, but not exploding: the run completes.
        TrainingResult result = new Solver(small().learningRate(1.0).build()).train(net(1), DATA, null, NONE, null);
        assertThat(result.outcome()).isEqualTo(TrainingResult.Outcome.COMPLETED);
    }

    @Test
    void listenerCanCancel() {
        TrainingResult result = new Solver(small().build()).train(net(1), DATA, VALIDATION, NONE, new TrainingListener() {
            @Override
            public boolean onIteration(int iteration, int epoch, double loss) {
                return iteration < 16;
            }
        });
        assertThat(result.outcome()).isEqualTo(TrainingResult.Outcome.CANCELLED);
        assertThat(result.iterations()).isEqualTo(17);
        assertThat(result.epochs()).hasSize(1);
        assertThat(result.best()).isNotNull();
    }

    @Test
    void keepsTheBestValidationParametersAndStopsEarly() {
        // a learning rate this large makes validation accuracy wander; the best epoch's weights must come back
        SolverConfig config = small().epochs(30).learningRate(0.5).lrDecay(1.0).earlyStoppingPatience(3).build();
        Checkpoints checkpoints = new Checkpoints();
        TrainingResult result = new Solver(config).train(net(1), DATA, VALIDATION, NONE, checkpoints);
        double best = result.epochs().stream().mapToDouble(EpochMetrics::valAccuracy).max().orElseThrow();
        assertThat(result.bestValAccuracy()).isEqualTo(best);
        // patience counts from the first epoch that reached the best accuracy; on a tie the later weights are kept
        int firstBest = result.epochs().stream().filter(m -> m.valAccuracy() == best).findFirst().orElseThrow().epoch();
        int lastBest = result.epochs().stream().filter(m -> m.valAccuracy() == best).reduce((a, b) -> b).orElseThrow()
                .epoch();
        assertThat(result.best()).isEqualTo(checkpoints.get(lastBest - 1).current());
        assertThat(TestData.accuracy(TwoLayerNet.of(result.best()), VALIDATION, NONE)).isEqualTo(best);
        assertThat(result.outcome()).isEqualTo(TrainingResult.Outcome.STOPPED_EARLY);
        assertThat(result.epochs()).hasSize(firstBest + 3);
    }

    @Test
    void aTieInValidationAccuracyKeepsTheLaterParameters() {
        // twenty rows that the network overfits, validated on themselves: the accuracy reaches 1 and stays there
        // while the weights go on changing; the run must return the last epoch's weights, not the first that reached 1
        Samples twenty = TestData.randomSamples(20, 10, 3, 5);
        SolverConfig config = SolverConfig.builder().epochs(200).batchSize(20).learningRate(0.5).lrDecay(1.0)
                .reg(0).sampling(SamplingKind.SHUFFLE).seed(1).build();
        Checkpoints checkpoints = new Checkpoints();
        TrainingResult result = new Solver(config).train(TwoLayerNet.initialize(10, 50, 3, InitKind.HE, 0, 1), twenty,
                twenty, Preprocessing.none(10), checkpoints);
        assertThat(result.bestValAccuracy()).isEqualTo(1.0);
        List<EpochMetrics> epochs = result.epochs();
        assertThat(epochs.get(epochs.size() - 1).valAccuracy()).isEqualTo(result.bestValAccuracy());
        assertThat(epochs.stream().filter(m -> m.valAccuracy().equals(result.bestValAccuracy())).count())
                .as("a tie to break").isGreaterThan(1);
        assertThat(result.best()).isEqualTo(checkpoints.get(epochs.size() - 1).current());
        assertThat(result.best()).isNotEqualTo(checkpoints.get(epochs.size() - 2).current());
        assertThat(result.trainAccuracy()).isEqualTo(epochs.get(epochs.size() - 1).trainAccuracy());
    }

    @Test
    void trainAccuracyIsMeasuredOnABoundedSample() {
        SolverConfig config = small().epochs(1).trainAccuracySample(7).build();
        TrainingResult result = new Solver(config).train(net(1), DATA, null, NONE, null);
        double accuracy = result.epochs().get(0).trainAccuracy();
        assertThat(accuracy * 7).isCloseTo(Math.rint(accuracy * 7), within(1e-9));
        assertThat(result.bestValAccuracy()).isNull();
        assertThat(result.epochs().get(0).valAccuracy()).isNull();
    }

    @Test
    void rejectsMismatchedData() {
        Solver solver = new Solver(small().build());
        assertThatThrownBy(() -> solver.train(TwoLayerNet.initialize(5, 4, 4, InitKind.HE, 0, 1), DATA, null, Preprocessing.none(5), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 features");
        assertThatThrownBy(() -> solver.train(TwoLayerNet.initialize(12, 4, 3, InitKind.HE, 0, 1), DATA, null, NONE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 classes");
        assertThatThrownBy(() -> small().batchSize(0).build()).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> small().learningRate(Double.NaN).build()).hasMessageContaining("learningRate");
    }
}
