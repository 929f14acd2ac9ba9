package io.nnserve.nn;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public record SolverConfig(int epochs, int batchSize, double learningRate, double lrDecay, UpdateRuleKind updateRule,
                           double momentum, LossKind loss, double svmMargin, RegularizationKind regularization, double reg,
                           SamplingKind sampling, int earlyStoppingPatience, long seed, int trainAccuracySample,
                           Precision precision) {
}
