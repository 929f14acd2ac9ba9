package io.nnserve.nn;

import java.util.List;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public record TrainingResult(Outcome outcome, NetworkParameters best, Double bestValAccuracy, double trainAccuracy,
                             double[] lossHistory, List<EpochMetrics> epochs, int iterations) {
    public enum Outcome { COMPLETED, STOPPED_EARLY, CANCELLED }
}
