package io.nnserve.training;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The training job queue and its workers ({@code nnserve.jobs.*}). The defaults suit one instance on a 2-core
 * machine: one job at a time (the engine already uses both cores), leases that survive a few missed heartbeats.
 */
@Validated
@ConfigurationProperties("nnserve.jobs")
public record JobsProperties(
        /* Start workers on this instance; false makes an API-only instance that queues jobs for others. */
        @DefaultValue("true") boolean workersEnabled,
        /* Jobs trained at once by this instance. */
        @DefaultValue("1") @Min(1) @Max(64) int concurrency,
        /* How often an idle worker looks for a queued job (a job submitted here wakes it at once). */
        @DefaultValue("1s") @DurationMin(millis = 10) Duration pollInterval,
        /* How long a claimed job stays with its worker without a heartbeat; then any instance may claim it. */
        @DefaultValue("30s") @DurationMin(seconds = 1) Duration leaseDuration,
        /* How often a worker renews its leases, publishes progress and reads cancel requests. */
        @DefaultValue("5s") @DurationMin(millis = 10) Duration heartbeatInterval,
        /* How often a running job writes the loss points and epochs trained since its last write (a checkpoint
           writes them too). */
        @DefaultValue("2s") @DurationMin(millis = 10) Duration flushInterval,
        /* Least time between two checkpoints (weights, update-rule state), taken at epoch ends: at most this much
           training is redone after a crash (a shutdown always checkpoints). 0s checkpoints every epoch, which on
           epochs of milliseconds writes megabytes a second. */
        @DefaultValue("10s") @DurationMin(millis = 0) Duration checkpointInterval,
        /* Attempts before a job whose worker crashed or failed unexpectedly ends FAILED. */
        @DefaultValue("3") @Min(1) @Max(100) int maxAttempts,
        /* On shutdown, how long a running job may take to finish its epoch before it stops at the next minibatch. */
        @DefaultValue("20s") @DurationMin(millis = 0) Duration shutdownGrace,
        /* Retry-After of a 429 when the queue is full. */
        @DefaultValue("30s") @DurationMin(seconds = 1) Duration retryAfter,
        /* This instance's id in leases; empty: read from (or created in) the data directory's instance-id file. */
        @DefaultValue("") @Pattern(regexp = "[A-Za-z0-9._-]{0,64}") String instanceId,
        /* Silence after which a job's event stream gets a comment: notices clients that have gone away, keeps
           proxies from closing an idle stream. */
        @DefaultValue("15s") @DurationMin(millis = 10) Duration eventsKeepAlive) {

    /**
     * A lease must outlive a few heartbeats: one that ends between two of them is taken from a healthy worker, and
     * the job fails its attempts one after another.
     */
    @AssertTrue(message = "must be at least twice nnserve.jobs.heartbeat-interval, so that a healthy worker renews"
            + " it before it ends")
    public boolean isLeaseDurationOutlivesHeartbeats() {
        return leaseDuration == null || heartbeatInterval == null
                || leaseDuration.compareTo(heartbeatInterval.multipliedBy(2)) >= 0;
    }
}
