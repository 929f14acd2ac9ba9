package io.nnserve.training;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.nnserve.dataset.Datasets;
import io.nnserve.model.Models;
import io.nnserve.model.NewModel;
import io.nnserve.system.InvalidInputException.FieldProblem;
import io.nnserve.system.LimitsProperties;
import io.nnserve.system.TooManyRequestsException;
import io.nnserve.training.JobRepository.Checkpoint;
import io.nnserve.training.JobRepository.JobRow;
import io.nnserve.training.LiveJob.Unstored;

/**
 * The job queue's state transitions, each one transaction: submit (admission + insert), claim (skip-locked, under
 * a lease), progress and checkpoints (guarded by the lease token), and the final word of a worker. A write guarded
 * by the lease that finds the lease gone rolls back and tells the worker, so a job ends at most once and has at
 * most one model.
 */
@Component
class JobQueue {

    private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

    private final JobRepository jobs;
    private final LossStore losses;
    private final Datasets datasets;
    private final Models models;
    private final TransactionTemplate tx;
    private final LimitsProperties limits;
    private final JobsProperties properties;
    private final JobMetrics metrics;

    JobQueue(JobRepository jobs, LossStore losses, Datasets datasets, Models models,
             PlatformTransactionManager transactions, LimitsProperties limits, JobsProperties properties,
             JobMetrics metrics) {
        this.jobs = jobs;
        this.losses = losses;
        this.datasets = datasets;
        this.models = models;
        this.tx = new TransactionTemplate(transactions);
        this.limits = limits;
        this.properties = properties;
        this.metrics = metrics;
    }

    /**
     * Commits a new QUEUED job, or answers 400 when its dataset or initial model was deleted since it was validated,
     * or 429 when queued + running jobs reach nnserve.limits.max-active-jobs.
     */
    JobRow submit(JobRow job) {
        return tx.execute(status -> {
            jobs.lockAdmission();
            lockInputs(job);
            long active = jobs.countActive();
            if (active >= limits.maxActiveJobs()) {
                throw new TooManyRequestsException("The queue is full: " + active + " jobs are queued or running, the "
                        + "limit is " + limits.maxActiveJobs() + " (nnserve.limits.max-active-jobs). Retry later.",
                        properties.retryAfter());
            }
            jobs.insert(job);
            return job;
        });
    }

    /**
     * Locks what the job reads until it is committed, so that a delete cannot slip in between the validation and the
     * insert: a delete that came first has removed the row (400 here, as the validation would have said), one that
     * comes later waits for the job and then refuses (409).
     */
    private void lockInputs(JobRow job) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!datasets.lockAgainstDeletion(job.datasetId())) {
            problems.add(TrainRequestValidator.missingDataset("datasetId", job.datasetId()));
        }
        if (job.validationDatasetId() != null && !datasets.lockAgainstDeletion(job.validationDatasetId())) {
            problems.add(TrainRequestValidator.missingDataset("validationDatasetId", job.validationDatasetId()));
        }
        if (job.initialModelId() != null && !models.lockAgainstDeletion(job.initialModelId())) {
            problems.add(TrainRequestValidator.missingModel(job.initialModelId()));
        }
        if (!problems.isEmpty()) {
            throw TrainRequestValidator.invalid(problems);
        }
    }

    /** A job this worker now holds: the row as claimed and the token that guards its writes. */
    record Claim(JobRow job, String token) {
    }

    /**
     * Takes the oldest claimable job. A claimable job that was cancelled while its worker was gone, or whose worker
     * died {@code maxAttempts} times, is ended here instead of being run again.
     */
    Optional<Claim> claim(String owner) {
        while (true) {
            Optional<ClaimStep> step = tx.execute(status -> {
                Instant now = Instant.now();
                Optional<JobRow> next = jobs.lockNextClaimable(now);
                if (next.isEmpty()) {
                    return Optional.empty();
                }
                JobRow job = next.get();
                if (job.cancelRequested()) {
                    endUnleased(job, JobStatus.CANCELLED, null, now);
                    return Optional.of(new ClaimStep(null));
                }
                if (job.attempts() >= properties.maxAttempts()) {
                    String reason = "The job was interrupted " + job.attempts() + " times (its worker crashed or "
                            + "failed) and is not retried again" + (job.error() == null ? "." : "; last error: " + job.error());
                    endUnleased(job, JobStatus.FAILED, reason, now);
                    log.warn("job {} failed after {} attempts", job.id(), job.attempts());
                    return Optional.of(new ClaimStep(null));
                }
                String token = UUID.randomUUID().toString();
                jobs.markClaimed(job.id(), owner, token, now.plus(properties.leaseDuration()), now);
                return Optional.of(new ClaimStep(new Claim(jobs.find(job.id()).orElseThrow(), token)));
            });
            if (step.isEmpty()) {
                return Optional.empty();
            }
            if (step.get().claim() != null) {
                return Optional.of(step.get().claim());
            }
        }
    }

    private record ClaimStep(Claim claim) {
    }

    Optional<Checkpoint> checkpoint(String jobId) {
        return jobs.checkpoint(jobId);
    }

    /**
     * Prepares the stored history for a (re)start at the checkpoint's iteration: what a crashed attempt wrote after
     * its last checkpoint is trained again, so it is forgotten.
     */
    void rewindTo(LiveJob live, int epoch, long iteration) {
        tx.executeWithoutResult(status -> {
            losses.truncate(live.id, iteration);
            jobs.deleteEpochsAfter(live.id, epoch);
            live.startAt(iteration, losses.readChunkHead(live.id, iteration), jobs.epochs(live.id, 0));
        });
    }

    /** Renews the lease, publishes progress and reads the cancel flag; false when the lease is gone. */
    boolean heartbeat(LiveJob live) {
        Boolean held = tx.execute(status -> {
            Instant now = Instant.now();
            if (jobs.heartbeat(live.id, live.token, now.plus(properties.leaseDuration()), live.progress(), now) == 0) {
                return false;
            }
            if (jobs.cancelRequested(live.id)) {
                live.cancelRequested = true;
            }
            return true;
        });
        if (!Boolean.TRUE.equals(held)) {
            live.leaseLost = true;
        }
        return !live.leaseLost;
    }

    /** Stores the unstored loss points and epochs (and a checkpoint when given) and renews the lease. */
    void store(LiveJob live, Checkpoint checkpoint) {
        Unstored unstored = live.unstored();
        Boolean held = tx.execute(status -> {
            Instant now = Instant.now();
            if (jobs.heartbeat(live.id, live.token, now.plus(properties.leaseDuration()), live.progress(), now) == 0) {
                return false;
            }
            writeUnstored(live.id, unstored);
            if (checkpoint != null) {
                jobs.saveCheckpoint(live.id, checkpoint, now);
            }
            return true;
        });
        if (Boolean.TRUE.equals(held)) {
            live.stored(unstored);
        } else {
            live.leaseLost = true;
        }
    }

    private void writeUnstored(String jobId, Unstored unstored) {
        losses.write(jobId, unstored.first(), unstored.losses(), unstored.losses().length);
        jobs.insertEpochs(jobId, unstored.epochs());
    }

    /**
     * Registers the model and marks the job SUCCEEDED in one transaction, guarded by the lease: when another worker
     * took the job meanwhile, nothing is written and no model exists from this run. Returns the model id or null.
     */
    String succeed(LiveJob live, NewModel model) {
        Unstored unstored = live.unstored();
        return tx.execute(status -> {
            Instant now = Instant.now();
            writeUnstored(live.id, unstored);
            String modelId = models.register(model);
            if (jobs.finishLeased(live.id, live.token, JobStatus.SUCCEEDED, modelId, null, live.progress(), now) == 0) {
                status.setRollbackOnly();
                live.leaseLost = true;
                return null;
            }
            jobs.deleteCheckpoint(live.id);
            return modelId;
        });
    }

    /**
     * Ends a job that no worker holds (cancelled while queued or while its worker was gone, or out of attempts),
     * counted with the jobs that ended on this instance like those its workers end.
     */
    private void endUnleased(JobRow job, JobStatus status, String error, Instant now) {
        if (jobs.finishUnleased(job.id(), job.status(), status, error, now) == 1) {
            metrics.finished(status);
        }
    }

    /** Ends the job CANCELLED or FAILED (no model); false when the lease was gone. */
    boolean end(LiveJob live, JobStatus to, String error) {
        Unstored unstored = live.unstored();
        Boolean done = tx.execute(status -> {
            Instant now = Instant.now();
            if (jobs.finishLeased(live.id, live.token, to, null, error, live.progress(), now) == 0) {
                return false;
            }
            writeUnstored(live.id, unstored);
            jobs.deleteCheckpoint(live.id);
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    /** A graceful stop: the job goes back to the queue and will resume from its last checkpoint. */
    boolean release(LiveJob live) {
        Boolean done = tx.execute(status -> {
            Instant now = Instant.now();
            return jobs.requeue(live.id, live.token, false, null, now, live.progress(), now) == 1;
        });
        return Boolean.TRUE.equals(done);
    }

    /**
     * An attempt failed unexpectedly: retried later (from its checkpoint) while attempts remain, otherwise FAILED.
     * The wait grows with the attempts so a job that always crashes cannot keep a worker busy.
     */
    void failedAttempt(LiveJob live, int attempt, String error) {
        if (attempt >= properties.maxAttempts()) {
            end(live, JobStatus.FAILED, "Training failed " + attempt + " times; last error: " + error);
            return;
        }
        tx.executeWithoutResult(status -> {
            Instant now = Instant.now();
            Duration wait = properties.pollInterval().multipliedBy(1L << Math.min(attempt, 10));
            jobs.requeue(live.id, live.token, true, error, now.plus(wait), live.progress(), now);
        });
    }

    /** Jobs this instance held when it last stopped without releasing them go back to the queue at once. */
    int recoverAbandoned(String owner) {
        Integer n = tx.execute(status -> jobs.requeueAbandonedBy(owner, Instant.now()));
        return n == null ? 0 : n;
    }

    /** What a delete request found and did. */
    enum DeleteOutcome { DELETED, ACTIVE, NOT_FOUND }

    /**
     * Deletes a job that has ended; one still queued or running is left alone (ACTIVE): its worker writes to it, and
     * cancelling it first is the caller's explicit choice.
     */
    DeleteOutcome delete(String id) {
        return tx.execute(status -> {
            if (jobs.deleteEnded(id) == 1) {
                return DeleteOutcome.DELETED;
            }
            return jobs.find(id).isPresent() ? DeleteOutcome.ACTIVE : DeleteOutcome.NOT_FOUND;
        });
    }

    /** What a cancel request found and did. */
    enum CancelOutcome { CANCELLED, STOPPING, ALREADY_ENDED }

    /**
     * Cancels a job: a queued one at once; a running one through its cancel flag, which its worker reads at the
     * next minibatch (same instance) or heartbeat (another instance). Empty for an unknown id.
     */
    Optional<CancelOutcome> cancel(String id) {
        return tx.execute(status -> {
            Instant now = Instant.now();
            if (jobs.find(id).isEmpty()) {
                return Optional.<CancelOutcome>empty();
            }
            if (jobs.finishUnleased(id, JobStatus.QUEUED, JobStatus.CANCELLED, null, now) == 1) {
                metrics.finished(JobStatus.CANCELLED);
                return Optional.of(CancelOutcome.CANCELLED);
            }
            if (jobs.requestCancel(id, now) == 1) {
                return Optional.of(CancelOutcome.STOPPING);
            }
            return Optional.of(CancelOutcome.ALREADY_ENDED);
        });
    }
}
