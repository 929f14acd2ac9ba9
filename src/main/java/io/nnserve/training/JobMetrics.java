package io.nnserve.training;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Job metrics for {@code /actuator/prometheus}: {@code nnserve_jobs{status}} and {@code nnserve_jobs_queue_depth}
 * (counted in the database, so they show every instance's jobs; refreshed each heartbeat),
 * {@code nnserve_jobs_finished_total{status}} (ended on this instance), {@code nnserve_training_iterations_total}
 * (its rate is iterations per second), {@code nnserve_training_epoch_duration_seconds}, and
 * {@code nnserve_training_loss{job}} for each job running here, removed when it ends.
 */
@Component
class JobMetrics {

    private final MeterRegistry registry;
    private final Map<JobStatus, AtomicLong> byStatus = new EnumMap<>(JobStatus.class);
    private final Counter iterations;
    private final Timer epochDuration;
    private final Map<String, Gauge> lossGauges = new ConcurrentHashMap<>();

    JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (JobStatus status : JobStatus.values()) {
            AtomicLong value = new AtomicLong();
            byStatus.put(status, value);
            Gauge.builder("nnserve.jobs", value, AtomicLong::doubleValue)
                    .description("Jobs in the database by status")
                    .tag("status", status.name())
                    .register(registry);
        }
        Gauge.builder("nnserve.jobs.queue.depth", byStatus.get(JobStatus.QUEUED), AtomicLong::doubleValue)
                .description("Jobs waiting for a worker")
                .register(registry);
        iterations = Counter.builder("nnserve.training.iterations")
                .description("Minibatch iterations trained on this instance")
                .register(registry);
        epochDuration = Timer.builder("nnserve.training.epoch.duration")
                .description("Wall time of one training epoch")
                .register(registry);
    }

    void counts(Map<JobStatus, Long> counts) {
        counts.forEach((status, n) -> byStatus.get(status).set(n));
    }

    void iteration() {
        iterations.increment();
    }

    void epoch(long nanos) {
        epochDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void finished(JobStatus status) {
        registry.counter("nnserve.jobs.finished", "status", status.name()).increment();
    }

    void running(LiveJob live) {
        lossGauges.put(live.id, Gauge.builder("nnserve.training.loss", live, j -> {
                    Double loss = j.latestLoss();
                    return loss == null ? Double.NaN : loss;
                })
                .description("Latest minibatch loss of a running job")
                .tag("job", live.id)
                .register(registry));
    }

    void stopped(LiveJob live) {
        Gauge gauge = lossGauges.remove(live.id);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}
