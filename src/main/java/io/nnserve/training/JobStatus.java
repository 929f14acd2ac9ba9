package io.nnserve.training;

/** The life of a job: QUEUED until a worker claims it, RUNNING while trained, then one of three final states. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
