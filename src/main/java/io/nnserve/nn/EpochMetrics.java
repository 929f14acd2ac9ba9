package io.nnserve.nn;

/**
 * What the Solver measured after one epoch.
 *
 * @param epoch         1-based number of the finished epoch
 * @param trainAccuracy accuracy on a random sample of at most {@code trainAccuracySample} training rows
 * @param valAccuracy   accuracy on the whole validation set; null when the run has none
 * @param learningRate  the learning rate used during this epoch (before its decay)
 */
public record EpochMetrics(int epoch, double trainAccuracy, Double valAccuracy, double learningRate) {
}
