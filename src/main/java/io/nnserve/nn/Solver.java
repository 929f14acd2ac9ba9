package io.nnserve.nn;

import java.util.Objects;

/**
 * Runs minibatch gradient descent on a {@link TwoLayerNet} (CS231n's Solver). A Solver holds only its
 * configuration: it can be shared, and every {@link #train}/{@link #resume} call is a run with its own state
 * (weights, update-rule state, random generator) on the calling thread.
 *
 * <p>Each epoch runs {@code max(N / batchSize, 1)} iterations. Each iteration draws a minibatch (with replacement,
 * or from an epoch-wide shuffle), records its loss (regularization included, at the weights before the update),
 * takes one update step and calls {@link TrainingListener#onIteration}. After each epoch the Solver measures the
 * train accuracy on a random sample of at most {@code trainAccuracySample} rows and the validation accuracy, keeps
 * the parameters with the best validation accuracy (of the latest epoch that reached it, on a tie), multiplies the
 * learning rate by {@code lrDecay}, reports the epoch and a checkpoint, and stops early after
 * {@code earlyStoppingPatience} epochs without a strictly better validation accuracy.
 * A non-finite or exploding loss ends the run with a {@link TrainingDivergedException}.
 */
public final class Solver {

    private final SolverConfig config;

    public Solver(SolverConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public SolverConfig config() {
        return config;
    }

    /**
     * Trains a copy of {@code net}'s weights ({@code net} itself is not changed).
     *
     * @param validation    rows to measure validation accuracy on after each epoch; null for none
     * @param preprocessing applied to every row as it is gathered into a minibatch
     * @param listener      hears every iteration and epoch; null for none
     */
    public TrainingResult train(TwoLayerNet net, Samples train, Samples validation, Preprocessing preprocessing,
                                TrainingListener listener) {
        Objects.requireNonNull(net, "net");
        TrainingRun run = TrainingRun.fresh(config, net.params(), train, validation, preprocessing, listener);
        return run.execute();
    }

    /**
     * Continues a run from a checkpoint, on the same data, as if it had never stopped. The state's configuration
     * must equal this Solver's, except that {@code epochs} may be larger (to train longer).
     */
    public TrainingResult resume(SolverState state, Samples train, Samples validation, Preprocessing preprocessing,
                                 TrainingListener listener) {
        Objects.requireNonNull(state, "state");
        SolverConfig saved = state.config();
        if (!saved.toBuilder().epochs(config.epochs()).build().equals(config)) {
            throw new IllegalArgumentException("the checkpoint was made with another configuration (" + saved
                    + "); only epochs may change on resume");
        }
        if (config.epochs() < state.epochsDone()) {
            throw new IllegalArgumentException("the checkpoint has " + state.epochsDone() + " epochs done, more than the "
                    + config.epochs() + " configured");
        }
        TrainingRun run = TrainingRun.resumed(config, state, train, validation, preprocessing, listener);
        return run.execute();
    }
}
