package io.nnserve.nn;

import java.util.List;

/**
 * The end of a training run.
 *
 * @param outcome         how the run ended
 * @param best            the parameters with the best validation accuracy; without validation data, the last ones
 * @param bestValAccuracy validation accuracy of {@code best}; null without validation data or before the first epoch ended
 * @param trainAccuracy   accuracy of {@code best} on the sampled training rows
 * @param lossHistory     the loss of every iteration (regularization included, at the weights before its update)
 * @param epochs          per-epoch metrics, in order
 * @param iterations      iterations done ({@code lossHistory.length})
 */
public record TrainingResult(Outcome outcome, NetworkParameters best, Double bestValAccuracy, double trainAccuracy,
                             double[] lossHistory, List<EpochMetrics> epochs, int iterations) {

    public enum Outcome {
        /** All configured epochs ran. */
        COMPLETED,
        /** Early stopping: {@code earlyStoppingPatience} epochs passed without a better validation accuracy. */
        STOPPED_EARLY,
        /** The listener asked to stop. */
        CANCELLED
    }

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
