package io.nnserve.nn;

/**
 * Hears a training run as it goes, on the training thread. Keep the calls short: {@link #onIteration} runs after
 * every minibatch.
 */
public interface TrainingListener {

    /** A listener that hears nothing and never stops the run. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * After every iteration.
     *
     * @param iteration 0-based index of the iteration in the run (the index of its loss in the loss history)
     * @param epoch     1-based number of the epoch the iteration belongs to
     * @param loss      the minibatch loss, regularization included, at the weights before this iteration's update
     * @return false to stop the run (it ends as {@link TrainingResult.Outcome#CANCELLED})
     */
    default boolean onIteration(int iteration, int epoch, double loss) {
        return true;
    }

    /** After every epoch, once its accuracies are known. */
    default void onEpoch(EpochMetrics metrics) {
    }

    /** After every epoch (after {@link #onEpoch}): the state from which {@link Solver#resume} continues the run. */
    default void onCheckpoint(SolverState state) {
    }
}
