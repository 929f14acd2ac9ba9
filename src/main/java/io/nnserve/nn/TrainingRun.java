package io.nnserve.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The mutable state of one Solver run, kept apart from the Solver (shareable) and from the net (immutable). */
final class TrainingRun {

    /** How many times its first value the loss may grow before the run counts as diverged. */
    static final double DIVERGENCE_FACTOR = 1e4;

    /** The random stream of sampling; stream 0 is weight initialisation. */
    static final long SAMPLING_STREAM = 1;

    private final SolverConfig config;
    private final Samples train;
    private final Samples validation;
    private final Preprocessing preprocessing;
    private final TrainingListener listener;
    private final int iterationsPerEpoch;

    private final Params params;
    private final Params best;
    /** The iterations, in the run's precision; {@link #params} is synchronised from it after each epoch. */
    private final TrainingStep step;
    private final SplitMix64 rng;
    private final int[] batchIndices;
    private final int[] order;
    private final int[] sampleIndices;
    private final int[] validationIndices;

    private final double[] lossHistory;
    private final List<EpochMetrics> epochs;
    private int iteration;
    private int epochsDone;
    private double learningRate;
    private Double bestValAccuracy;
    private double bestTrainAccuracy = Double.NaN;
    private boolean hasBest;
    private int epochsWithoutImprovement;

    private TrainingRun(SolverConfig config, Params initial, Samples train, Samples validation,
                        Preprocessing preprocessing, TrainingListener listener, long rngState) {
        this.config = config;
        this.train = Objects.requireNonNull(train, "train");
        this.validation = validation;
        this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
        this.listener = listener == null ? TrainingListener.NONE : listener;
        checkData("training", train, initial);
        if (validation != null) {
            checkData("validation", validation, initial);
        }
        if (preprocessing.features() != initial.inputSize) {
            throw new IllegalArgumentException("preprocessing is for " + preprocessing.features()
                    + " features but the network takes " + initial.inputSize);
        }
        iterationsPerEpoch = config.iterationsPerEpoch(train.rows());
        long total = (long) iterationsPerEpoch * config.epochs();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("epochs x iterations per epoch = " + total + " is too many");
        }
        params = Params.zerosLike(initial);
        params.copyFrom(initial);
        best = Params.zerosLike(initial);
        step = TrainingStep.create(config.precision(), initial, config.batchSize(), config.updateRule(),
                config.momentum());
        step.storeInto(params); // the weights as rounded to the step's precision are the run's from the start
        rng = new SplitMix64(rngState);
        batchIndices = new int[config.batchSize()];
        order = new int[train.rows()];
        sampleIndices = new int[Math.min(config.trainAccuracySample(), train.rows())];
        validationIndices = validation == null ? null : identity(validation.rows());
        lossHistory = new double[(int) total];
        epochs = new ArrayList<>(config.epochs());
        learningRate = config.learningRate();
    }

    static TrainingRun fresh(SolverConfig config, Params initial, Samples train, Samples validation,
                             Preprocessing preprocessing, TrainingListener listener) {
        long rngState = SplitMix64.stream(config.seed(), SAMPLING_STREAM).state();
        return new TrainingRun(config, initial, train, validation, preprocessing, listener, rngState);
    }

    static TrainingRun resumed(SolverConfig config, SolverState state, Samples train, Samples validation,
                               Preprocessing preprocessing, TrainingListener listener) {
        if (state.trainRows() != train.rows()) {
            throw new IllegalArgumentException("the checkpoint was made on " + state.trainRows()
                    + " training rows, not " + train.rows());
        }
        TrainingRun run = new TrainingRun(config, Params.of(state.current()), train, validation, preprocessing,
                listener, state.rngState());
        if (state.best().inputSize() != state.current().inputSize() || state.best().hiddenSize() != state.current().hiddenSize()
                || state.best().numClasses() != state.current().numClasses()) {
            throw new IllegalArgumentException("the checkpoint's best and current parameters differ in shape");
        }
        run.step.restoreRule(state.updateRuleState(), state.updateRuleSteps());
        System.arraycopy(state.lossHistory(), 0, run.lossHistory, 0, state.iteration());
        run.iteration = state.iteration();
        run.epochs.addAll(state.epochs());
        run.epochsDone = state.epochsDone();
        run.learningRate = state.learningRate();
        run.best.copyFrom(Params.of(state.best()));
        run.hasBest = state.epochsDone() > 0;
        run.bestValAccuracy = state.bestValAccuracy();
        run.bestTrainAccuracy = state.bestTrainAccuracy();
        run.epochsWithoutImprovement = state.epochsWithoutImprovement();
        return run;
    }

    private static void checkData(String what, Samples samples, Params p) {
        if (samples.features() != p.inputSize) {
            throw new IllegalArgumentException("the " + what + " data has " + samples.features()
                    + " features but the network takes " + p.inputSize);
        }
        if (samples.classes() > p.numClasses) {
            throw new IllegalArgumentException("the " + what + " data has " + samples.classes()
                    + " classes but the network has " + p.numClasses + " outputs");
        }
    }

    private static int[] identity(int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    TrainingResult execute() {
        TrainingResult.Outcome outcome = TrainingResult.Outcome.COMPLETED;
        for (int epoch = epochsDone + 1; epoch <= config.epochs(); epoch++) {
            if (shouldStopEarly()) {
                outcome = TrainingResult.Outcome.STOPPED_EARLY;
                break;
            }
            if (!runEpoch(epoch)) {
                outcome = TrainingResult.Outcome.CANCELLED;
                break;
            }
            endEpoch(epoch);
        }
        return result(outcome);
    }

    private boolean shouldStopEarly() {
        return config.earlyStoppingPatience() > 0 && validation != null
                && epochsWithoutImprovement >= config.earlyStoppingPatience();
    }

    /** The iterations of one epoch; false when the listener cancelled. */
    private boolean runEpoch(int epoch) {
        boolean shuffle = config.sampling() == SamplingKind.SHUFFLE;
        if (shuffle) {
            int n = train.rows();
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            rng.shuffle(order);
        }
        for (int it = 0; it < iterationsPerEpoch; it++) {
            if (!iterate(epoch, it, shuffle)) {
                step.storeInto(params);
                return false;
            }
        }
        step.storeInto(params);
        return true;
    }

    /**
     * One minibatch: sample, forward and backward pass, update. False when the listener cancelled. A method of its
     * own so that the JIT compiles the step once, as this method, rather than inlined into the epoch's loop: there
     * it would be compiled twice (on the stack in the first long epoch, then for the next call), and again both
     * ways whenever a branch the profile had never seen throws the compiled loop away.
     */
    private boolean iterate(int epoch, int it, boolean shuffle) {
        int n = train.rows();
        int b = config.batchSize();
        if (shuffle) {
            // N < batchSize: the batch wraps around the permutation, so rows repeat within it.
            long start = (long) it * b;
            for (int k = 0; k < b; k++) {
                batchIndices[k] = order[(int) ((start + k) % n)];
            }
        } else {
            for (int k = 0; k < b; k++) {
                batchIndices[k] = rng.nextInt(n);
            }
        }
        double loss = step.lossAndGradients(train, batchIndices, preprocessing, config.loss(),
                config.svmMargin(), config.regularization(), config.reg());
        if (diverged(loss)) {
            throw new TrainingDivergedException(iteration, epoch, loss, learningRate);
        }
        lossHistory[iteration] = loss;
        step.update(learningRate);
        iteration++;
        return listener.onIteration(iteration - 1, epoch, loss);
    }

    /**
     * A non-finite loss, or one grown past {@link #DIVERGENCE_FACTOR} times the run's first loss (or 1, whichever is
     * larger). Adaptive rules such as adam keep a wildly too-large learning rate from overflowing: the loss then
     * climbs to 1e13 and stays finite, and without the second test such a run would "succeed" with useless weights.
     */
    private boolean diverged(double loss) {
        if (!Double.isFinite(loss)) {
            return true;
        }
        return iteration > 0 && loss > DIVERGENCE_FACTOR * Math.max(lossHistory[0], 1.0);
    }

    private void endEpoch(int epoch) {
        double trainAccuracy = sampledTrainAccuracy();
        Double valAccuracy = validation == null ? null : accuracy(validation, validationIndices);
        EpochMetrics metrics = new EpochMetrics(epoch, trainAccuracy, valAccuracy, learningRate);
        epochs.add(metrics);
        boolean better = validation == null || !hasBest || valAccuracy > bestValAccuracy;
        // A tie keeps the later parameters: a small validation set's accuracy moves in coarse steps and often stays
        // on one value for many epochs while training goes on; keeping the first epoch that reached it would throw
        // the rest of the run away. Patience still counts epochs without a strictly better accuracy.
        if (better || valAccuracy.doubleValue() == bestValAccuracy.doubleValue()) {
            best.copyFrom(params);
            hasBest = true;
            bestValAccuracy = valAccuracy;
            bestTrainAccuracy = trainAccuracy;
        }
        epochsWithoutImprovement = better ? 0 : epochsWithoutImprovement + 1;
        learningRate *= config.lrDecay();
        epochsDone = epoch;
        listener.onEpoch(metrics);
        listener.onCheckpoint(state());
    }

    /** Accuracy on at most {@code trainAccuracySample} training rows: all of them if that many, else drawn at random. */
    private double sampledTrainAccuracy() {
        int n = train.rows();
        if (sampleIndices.length == n) {
            for (int i = 0; i < n; i++) {
                sampleIndices[i] = i;
            }
        } else {
            for (int k = 0; k < sampleIndices.length; k++) {
                sampleIndices[k] = rng.nextInt(n);
            }
        }
        return accuracy(train, sampleIndices);
    }

    /** The fraction of the given rows whose highest score is their label, scored by the step (its precision). */
    private double accuracy(Samples samples, int[] indices) {
        return (double) step.correct(samples, indices, preprocessing) / indices.length;
    }

    SolverState state() {
        return new SolverState(config, train.rows(), epochsDone, iteration, learningRate, rng.state(),
                params.toNetworkParameters(), step.ruleState(),
                step.steps(), Arrays.copyOf(lossHistory, iteration),
                epochs, best.toNetworkParameters(), bestValAccuracy, bestTrainAccuracy, epochsWithoutImprovement);
    }

    private TrainingResult result(TrainingResult.Outcome outcome) {
        Params returned = hasBest ? best : params;
        double trainAccuracy = hasBest ? bestTrainAccuracy : sampledTrainAccuracy();
        return new TrainingResult(outcome, returned.toNetworkParameters(), hasBest ? bestValAccuracy : null,
                trainAccuracy, Arrays.copyOf(lossHistory, iteration), epochs, iteration);
    }
}
