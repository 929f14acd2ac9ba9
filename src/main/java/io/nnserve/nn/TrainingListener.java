package io.nnserve.nn;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public interface TrainingListener {
    default boolean onIteration(int iteration, int epoch, double loss) {
        return true;
    }

    default void onEpoch(EpochMetrics metrics) {
    }

    default void onCheckpoint(SolverState state) {
    }
}
