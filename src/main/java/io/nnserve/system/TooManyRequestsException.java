package io.nnserve.system;

import java.time.Duration;

/** A capacity limit is reached (the job queue is full): 429 with a Retry-After header. */
public class TooManyRequestsException extends RuntimeException {

    private final Duration retryAfter;

    public TooManyRequestsException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
