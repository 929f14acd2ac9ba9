package io.nnserve.nn;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public record EpochMetrics(int epoch, double trainAccuracy, Double valAccuracy, double learningRate) {
}
