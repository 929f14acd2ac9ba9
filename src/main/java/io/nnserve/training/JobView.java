package io.nnserve.training;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/** A training job as the API shows it ({@code GET /jobs/{id}}, the answer of {@code POST /train}, SSE events). */
@Schema(name = "Job")
public record JobView(
        String id,
        @Schema(allowableValues = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"})
        String status,
        String datasetId,
        @Schema(description = "Epochs finished")
        int epoch,
        int epochs,
        @Schema(description = "Iterations (minibatches) finished")
        long iteration,
        @Schema(description = "Iterations of the whole run: epochs x max(training rows / batchSize, 1)")
        long iterations,
        @Schema(description = "iteration / iterations, in [0, 1]; 1 once SUCCEEDED, also when early stopping ended the"
                + " run before its last iteration")
        double progress,
        @Schema(description = "Training time so far, over all attempts")
        long elapsedMs,
        @Schema(description = "Estimated time to finish; null until the first iterations, 0 once ended", nullable = true)
        Long etaMs,
        @Schema(description = "Latest minibatch loss; null before the first", nullable = true)
        Double loss,
        @Schema(description = "Best validation accuracy of a finished epoch; null before the first", nullable = true)
        Double bestValAccuracy,
        @Schema(description = "Training accuracy of the latest finished epoch while the job runs; once SUCCEEDED, that"
                + " of the parameters kept (the epoch of bestValAccuracy), as the model reports it; null before the"
                + " first epoch", nullable = true)
        Double trainAccuracy,
        @Schema(description = "The trained model, once SUCCEEDED; null before", nullable = true)
        String modelId,
        @Schema(description = "Why the job FAILED (or why its last attempt failed); null otherwise", nullable = true)
        String error,
        @Schema(description = "Workers that took the job (more than 1 after a crash or a failed attempt)")
        int attempts,
        @Schema(description = "The instance (nnserve.jobs.instance-id) whose worker runs the job, or ran it to its end; "
                + "null while queued and for a job that never ran", nullable = true)
        String instance,
        @Schema(description = "Whether a cancel was requested: a running job stops at its next minibatch; true for"
                + " every CANCELLED job")
        boolean cancelRequested,
        @Schema(description = "The effective request: every default filled in")
        TrainRequest request,
        Instant createdAt,
        @Schema(description = "When a worker first took the job; null while it has never run", nullable = true)
        Instant startedAt,
        @Schema(description = "When the job ended; null until then", nullable = true)
        Instant finishedAt) {
}
