package io.nnserve.training;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import io.nnserve.system.ConflictException;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.InvalidInputException.FieldProblem;
import io.nnserve.system.NotFoundException;
import io.nnserve.training.JobRepository.EpochRow;
import io.nnserve.training.JobRepository.JobRow;
import io.nnserve.training.JobRepository.Progress;
import io.nnserve.training.LiveJob.MemoryLoss;
import io.nnserve.training.LossView.EpochView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the endpoints ask of the training feature: submit a job (validated, idempotent, admitted), read jobs and
 * their loss history (from memory while the job runs here, from the database otherwise), cancel, delete.
 */
@Service
class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    static final int MAX_PAGE_SIZE = 100;

    private final TrainRequestValidator validator;
    private final JobQueue queue;
    private final JobRepository jobs;
    private final LossStore losses;
    private final JobWorkers workers;
    private final JsonMapper json;

    JobService(TrainRequestValidator validator, JobQueue queue, JobRepository jobs, LossStore losses,
               JobWorkers workers, JsonMapper json) {
        this.validator = validator;
        this.queue = queue;
        this.jobs = jobs;
        this.losses = losses;
        this.workers = workers;
        this.json = json;
    }

    /** A submitted job, and whether it already existed under the same Idempotency-Key. */
    record Submitted(JobView job, boolean replayed) {
    }

    Submitted submit(JsonNode body, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new InvalidInputException("The Idempotency-Key header must be 1 to 255 visible ASCII characters.",
                    List.of(new FieldProblem("Idempotency-Key", "must be 1 to 255 visible ASCII characters")));
        }
        TrainRequest given = validator.parse(body);
        String hash = idempotencyKey == null ? null : sha256(json.writeValueAsString(given));
        if (idempotencyKey != null) {
            Optional<JobRow> existing = jobs.findByIdempotencyKey(idempotencyKey);
            if (existing.isPresent()) {
                return replay(existing.get(), hash, idempotencyKey);
            }
        }
        TrainingPlan plan = validator.validate(given);
        TrainRequest r = plan.request();
        Instant now = Instant.now();
        JobRow row = new JobRow(UUID.randomUUID().toString(), JobStatus.QUEUED, r.datasetId(), r.validationDatasetId(),
                r.initialModelId(), json.writeValueAsString(r), idempotencyKey, hash, r.epochs(), plan.iterations(), 0, 0,
                null, null, null, null, null, 0, false, null, null, null, 0, now, null, null);
        try {
            queue.submit(row);
        } catch (DuplicateKeyException e) {
            // The same key was submitted concurrently and the other request won.
            return replay(jobs.findByIdempotencyKey(idempotencyKey).orElseThrow(() -> e), hash, idempotencyKey);
        }
        workers.wakeUp();
        log.info("job {} queued: dataset {}, {} epochs of {} iterations", row.id(), r.datasetId(), r.epochs(),
                plan.iterations() / Math.max(1, r.epochs()));
        return new Submitted(view(row), false);
    }

    private Submitted replay(JobRow existing, String hash, String key) {
        if (!existing.requestHash().equals(hash)) {
            throw new ConflictException("The Idempotency-Key '" + key + "' was already used for job " + existing.id()
                    + " with a different request body; use a new key for a new request.");
        }
        return new Submitted(view(existing), true);
    }

    JobView get(String id) {
        return view(row(id));
    }

    JobPage list(JobStatus status, int page, int size) {
        // page x size can pass Integer.MAX_VALUE; a page past the last job is empty without asking the database
        long offset = (long) page * size;
        long total = jobs.count(status);
        List<JobView> views = offset >= total ? List.of()
                : jobs.page(status, offset, size).stream().map(this::view).toList();
        return new JobPage(views, page, size, total);
    }

    /**
     * The loss of iterations {@code since ..} and all epochs. For a job running here, the points not yet stored are
     * read from memory first, then the stored ones before them: a store in between cannot open a gap.
     */
    LossView loss(String id, long since) {
        JobRow row = row(id);
        // a job that is still loading its data and checkpoint has nothing in memory yet: its stored history is it
        Optional<LiveJob> live = workers.live(id).filter(LiveJob::started);
        double[] values;
        List<EpochRow> epochs;
        if (live.isPresent()) {
            MemoryLoss memory = live.get().lossSince(since);
            double[] stored = losses.read(id, since, memory.memoryStart());
            values = concat(stored, memory.losses());
            epochs = memory.epochs();
        } else {
            values = losses.read(id, since, Math.max(row.iterations(), row.iteration()));
            epochs = jobs.epochs(id, 0);
        }
        return new LossView(id, since, values, epochs.stream()
                .map(e -> new EpochView(e.epoch(), e.trainAccuracy(), e.valAccuracy(), e.learningRate())).toList());
    }

    /**
     * The job's status after the request: CANCELLED, or RUNNING while its worker is still stopping. A job that ends
     * otherwise, before or while the request is made, is a conflict (409) that says how it ended.
     */
    JobView cancel(String id) {
        requireId(id);
        JobQueue.CancelOutcome outcome = queue.cancel(id).orElseThrow(() -> new NotFoundException("job", id));
        if (outcome == JobQueue.CancelOutcome.ALREADY_ENDED) {
            throw new ConflictException("Job " + id + " has already ended " + row(id).status()
                    + "; only queued or running jobs can be cancelled.");
        }
        if (outcome == JobQueue.CancelOutcome.STOPPING) {
            workers.live(id).ifPresent(l -> l.cancelRequested = true);
            // A worker here stops within a minibatch: answer with the final state when it is that quick.
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (workers.live(id).isPresent() && System.nanoTime() < deadline) {
                sleep(20);
            }
        }
        JobView job = get(id);
        if (!job.status().equals(JobStatus.CANCELLED.name()) && JobStatus.valueOf(job.status()).isFinal()) {
            // Its worker finished the last minibatch (or failed) before it read the cancel flag.
            throw new ConflictException("Job " + id + " ended " + job.status() + " before the cancellation reached it"
                    + (job.modelId() == null ? "" : "; its model is " + job.modelId()) + ".");
        }
        return job;
    }

    /**
     * Deletes a job that has ended, with its loss history; 409 while it is queued or running (cancel it first), 404
     * when unknown. Its model, if it trained one, stays in the registry.
     */
    void delete(String id) {
        requireId(id);
        switch (queue.delete(id)) {
            case DELETED -> log.info("job {} deleted", id);
            case ACTIVE -> throw new ConflictException("Job " + id + " is still queued or running; cancel it first (POST /jobs/"
                    + id + "/cancel), then delete it.");
            case NOT_FOUND -> throw new NotFoundException("job", id);
        }
    }

    JobRow row(String id) {
        requireId(id);
        return jobs.find(id).orElseThrow(() -> new NotFoundException("job", id));
    }

    static void requireId(String id) {
        if (id == null || !TrainRequestValidator.ID.matcher(id).matches()) {
            throw new NotFoundException("job", id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "..." : id);
        }
    }

    JobView view(JobRow row) {
        Optional<LiveJob> live = row.status() == JobStatus.RUNNING ? workers.live(row.id()) : Optional.empty();
        Progress p = live.map(LiveJob::progress).orElseGet(() -> new Progress(row.epoch(), row.iteration(), row.loss(),
                row.bestValAccuracy(), row.trainAccuracy(), row.runMs()));
        boolean ended = row.status().isFinal();
        double progress = row.status() == JobStatus.SUCCEEDED ? 1.0
                : row.iterations() > 0 ? Math.min(1.0, (double) p.iteration() / row.iterations()) : 0.0;
        // from the worker's own pace when it runs here; from the stored progress (all attempts) otherwise
        Long eta = ended ? Long.valueOf(0L)
                : live.isPresent() ? live.get().etaMs()
                : p.iteration() > 0 && row.status() == JobStatus.RUNNING
                ? Long.valueOf(Math.round(p.runMs() * (double) (row.iterations() - p.iteration()) / p.iteration()))
                : null;
        TrainRequest request = TrainRequest.readStored(row.requestJson());
        return new JobView(row.id(), row.status().name(), row.datasetId(), p.epoch(), row.epochs(), p.iteration(),
                row.iterations(), progress, p.runMs(), eta, p.loss(), p.bestValAccuracy(), p.trainAccuracy(),
                row.modelId(), row.error(), row.attempts(), row.leaseOwner(), cancelRequested(row, live), request, row.createdAt(), row.startedAt(), row.finishedAt());
    }

    /** A queued job is cancelled at once, without the flag a running one gets: it was cancelled all the same. */
    private static boolean cancelRequested(JobRow row, Optional<LiveJob> live) {
        return row.cancelRequested() || row.status() == JobStatus.CANCELLED
                || live.map(l -> l.cancelRequested).orElse(false);
    }

    private static double[] concat(double[] a, double[] b) {
        if (a.length == 0) {
            return b;
        }
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
