package io.nnserve.training;

/**
 * A validated request: the effective {@link TrainRequest} (defaults filled in) and the sizes derived from it and
 * its dataset, which the queue stores so that progress can be reported before the job starts.
 */
record TrainingPlan(TrainRequest request, int trainRows, int validationRows, int iterationsPerEpoch, long iterations,
                    long estimatedBytes) {
}
