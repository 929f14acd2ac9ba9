package io.nnserve.training;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

import io.nnserve.training.JobQueue.Claim;

/**
 * This instance's workers: {@code nnserve.jobs.concurrency} platform threads that claim jobs from the database
 * queue and train them (never on request threads), and one heartbeat thread that renews their leases, publishes
 * progress, reads cancel requests and refreshes the job gauges.
 * <p>
 * Start-up puts back the jobs this instance abandoned in a crash. Shutdown stops claiming, lets each running job
 * finish its epoch and checkpoint (or stops it at the next minibatch after {@code nnserve.jobs.shutdown-grace}),
 * gives it back to the queue and only then stops the heartbeat, so no lease is left to expire.
 */
@Component
class JobWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

    private final JobQueue queue;
    private final JobRunner runner;
    private final JobRepository jobs;
    private final JobMetrics metrics;
    private final JobsProperties properties;
    private final String owner;

    private final Map<String, LiveJob> live = new ConcurrentHashMap<>();
    private final Object wake = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private ScheduledExecutorService heartbeat;
    private boolean databaseDown;

    JobWorkers(JobQueue queue, JobRunner runner, JobRepository jobs, JobMetrics metrics, JobsProperties properties,
               InstanceId instanceId) {
        this.queue = queue;
        this.runner = runner;
        this.jobs = jobs;
        this.metrics = metrics;
        this.properties = properties;
        this.owner = instanceId.value();
    }

    /** The job if it runs on this instance. */
    Optional<LiveJob> live(String jobId) {
        return Optional.ofNullable(live.get(jobId));
    }

    String owner() {
        return owner;
    }

    /** A job was queued here: an idle worker claims it now rather than at its next poll. */
    void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (properties.workersEnabled()) {
            int recovered = queue.recoverAbandoned(owner);
            if (recovered > 0) {
                log.info("{} job(s) this instance held when it last stopped are queued again", recovered);
            }
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nnserve-job-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long period = properties.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, 0, period, TimeUnit.MILLISECONDS);
        if (properties.workersEnabled()) {
            for (int i = 1; i <= properties.concurrency(); i++) {
                Thread t = new Thread(this::work, "nnserve-job-worker-" + i);
                // Daemon: the context's shutdown (a JVM shutdown hook) stops jobs gracefully; nothing else may hold
                // the JVM open.
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        wakeUp();
        for (LiveJob job : live.values()) {
            job.shutdownRequested = true;
        }
        long graceEnd = System.nanoTime() + properties.shutdownGrace().toNanos();
        for (Thread t : threads) {
            joinUntil(t, graceEnd);
        }
        if (threads.stream().anyMatch(Thread::isAlive)) {
            log.info("shutdown grace over: running jobs stop at their next minibatch");
            live.values().forEach(job -> job.stopNow = true);
            long hardEnd = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (Thread t : threads) {
                joinUntil(t, hardEnd);
            }
        }
        threads.clear();
        heartbeat.shutdownNow();
    }

    private static void joinUntil(Thread t, long deadlineNanos) {
        long millis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server drains, while the database is still there to take the jobs back. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }

    /**
     * A worker's life: claim, train, repeat, until the instance stops. Nothing ends it early: a database that cannot
     * be reached is waited out, and anything else is logged and the loop goes on, since a worker thread that died
     * would leave every job queued while the service looked healthy.
     */
    private void work() {
        while (running) {
            try {
                Optional<Claim> claim = queue.claim(owner);
                databaseUp();
                if (claim.isEmpty()) {
                    pause();
                } else {
                    execute(claim.get());
                }
            } catch (DataAccessException | TransactionException e) {
                databaseFailed(e);
                pause();
            } catch (RuntimeException e) {
                log.error("job worker: unexpected error; the worker goes on", e);
                pause();
            }
        }
    }

    private void pause() {
        synchronized (wake) {
            if (running) {
                try {
                    wake.wait(properties.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private void execute(Claim claim) {
        LiveJob job = LiveJob.claimed(claim.job(), claim.token());
        job.stopNow = !running;
        live.put(job.id, job);
        metrics.running(job);
        log.info("job {} claimed (attempt {})", job.id, claim.job().attempts());
        try {
            runner.run(claim, job);
        } catch (DataAccessException | TransactionException e) {
            // The database went away under the run (loading its data, a write the run could not do without): not
            // the job's fault, so it spends no attempt and goes back to the queue once the database answers.
            databaseFailed(e);
            giveBack(job);
        } catch (RuntimeException | Error e) {
            // The last line of defence of a worker thread: any failure is one attempt, retried later from the
            // checkpoint until the attempts run out; the thread itself lives on.
            log.error("job {} failed unexpectedly on attempt {}", job.id, claim.job().attempts(), e);
            try {
                queue.failedAttempt(job, claim.job().attempts(), e instanceof OutOfMemoryError
                        ? "the worker on instance " + owner + " ran out of memory at iteration " + job.iteration()
                                + " (its heap, -Xmx, is " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                                + " MiB, shared with other jobs and requests): use a smaller hiddenSize, batchSize or "
                                + "dataset, or give the service more memory"
                        : "the worker on instance " + owner + " failed unexpectedly at iteration " + job.iteration()
                                + " (details in its log)");
            } catch (RuntimeException db) {
                log.warn("job {}: could not record the failure ({}); its lease will expire", job.id, db.getMessage());
            }
        } finally {
            live.remove(job.id);
            metrics.stopped(job);
        }
    }

    /** Puts a job back in the queue with its attempt returned, waiting for the database; stops with the instance. */
    private void giveBack(LiveJob job) {
        while (running) {
            try {
                if (queue.release(job)) {
                    log.info("job {} put back in the queue at iteration {}: the database went away during its run",
                            job.id, job.iteration());
                } else {
                    log.warn("job {}: lease lost while the database was away; another worker owns the job", job.id);
                }
                databaseUp();
                return;
            } catch (DataAccessException | TransactionException e) {
                pause();
            }
        }
    }

    /**
     * Renews the leases and refreshes the gauges. It must not throw: the scheduler runs nothing more after a run
     * that threw, and every later cancel from another instance, lease renewal and gauge would be lost.
     */
    private void beat() {
        for (LiveJob job : live.values()) {
            try {
                if (!queue.heartbeat(job)) {
                    log.warn("job {}: lease lost to another worker; stopping it here", job.id);
                }
            } catch (DataAccessException | TransactionException e) {
                databaseFailed(e);
            } catch (RuntimeException e) {
                log.error("job {}: heartbeat failed", job.id, e);
            }
        }
        try {
            metrics.counts(jobs.countsByStatus());
            databaseUp();
        } catch (DataAccessException | TransactionException e) {
            databaseFailed(e);
        } catch (RuntimeException e) {
            log.error("job metrics: counting jobs failed", e);
        }
    }

    private synchronized void databaseFailed(RuntimeException e) {
        if (!databaseDown) {
            databaseDown = true;
            log.warn("job queue: database unavailable ({}); retrying", e.getMessage());
        }
    }

    private synchronized void databaseUp() {
        if (databaseDown) {
            databaseDown = false;
            log.info("job queue: database available again");
        }
    }
}
