package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.nnserve.dataset.DatasetUsage;
import io.nnserve.model.ModelUsage;
import io.nnserve.model.NewModel;
import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Preprocessing;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.InvalidInputException.FieldProblem;
import io.nnserve.system.TooManyRequestsException;
import io.nnserve.training.JobQueue.CancelOutcome;
import io.nnserve.training.JobQueue.Claim;
import io.nnserve.training.JobRepository.JobRow;
import io.nnserve.training.JobRepository.Progress;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database job queue, run by a subclass per database (H2 and a real PostgreSQL): claiming with SKIP LOCKED,
 * leases and their expiry, the lease guard on every write, attempts, admission, cancel and the chunked loss store.
 */
abstract class JobQueueContract {

    static final Duration LONG_LEASE = Duration.ofMinutes(5);

    QueueFixture fx;
    JobQueue queue;

    abstract DataSource newDataSource();

    @BeforeEach
    void setUp() {
        fx = new QueueFixture(newDataSource());
        queue = fx.queue(LONG_LEASE, 100);
    }

    static NewModel model(String jobId) {
        NetworkParameters p = new NetworkParameters(2, 1, 2, new double[2], new double[1], new double[2], new double[2]);
        return new NewModel(jobId, "blobs", "blobs", p, "softmax", Preprocessing.none(2), List.of("a", "b"), null,
                0.9, 0.9, 1L, "float64");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aSubmittedJobIsClaimedOnceUnderALease() {
        JobRow job = queue.submit(fx.newJob());
        assertThat(fx.row(job.id()).status()).isEqualTo(JobStatus.QUEUED);

        Claim claim = queue.claim("a").orElseThrow();
        assertThat(claim.job().id()).isEqualTo(job.id());
        JobRow running = fx.row(job.id());
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.attempts()).isEqualTo(1);
        assertThat(running.leaseOwner()).isEqualTo("a");
        assertThat(running.leaseToken()).isEqualTo(claim.token());
        assertThat(running.leaseExpiresAt()).isAfter(java.time.Instant.now().plusSeconds(60));
        assertThat(running.startedAt()).isNotNull();
        assertThat(queue.claim("b")).isEmpty();
    }

    @Test
    void theOldestJobIsClaimedFirst() throws InterruptedException {
        JobRow first = queue.submit(fx.newJob());
        Thread.sleep(5);
        queue.submit(fx.newJob());
        assertThat(queue.claim("a").orElseThrow().job().id()).isEqualTo(first.id());
    }

    @Test
    void concurrentClaimersNeverGetTheSameJob() throws Exception {
        int jobs = 40;
        for (int i = 0; i < jobs; i++) {
            queue.submit(fx.newJob());
        }
        int claimers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int c = 0; c < claimers; c++) {
            String owner = "instance-" + c;
            JobQueue own = fx.queue(LONG_LEASE, 100);
            results.add(pool.submit(() -> {
                start.await();
                List<String> mine = new ArrayList<>();
                for (Optional<Claim> claim = own.claim(owner); claim.isPresent(); claim = own.claim(owner)) {
                    mine.add(claim.get().job().id());
                }
                return mine;
            }));
        }
        start.countDown();
        List<String> all = new ArrayList<>();
        for (Future<List<String>> r : results) {
            all.addAll(r.get());
        }
        pool.shutdown();
        assertThat(all).hasSize(jobs).doesNotHaveDuplicates();
        // Each claimed job names the claimer that got it, and no other.
        for (int c = 0; c < claimers; c++) {
            for (String id : results.get(c).get()) {
                assertThat(fx.row(id).leaseOwner()).isEqualTo("instance-" + c);
            }
        }
    }

    @Test
    void anExpiredLeaseIsClaimedAgainAndTheOldWorkerCanNoLongerWrite() {
        JobRow job = queue.submit(fx.newJob());
        Claim a = queue.claim("a").orElseThrow();
        LiveJob liveA = fx.live(a);
        assertThat(queue.claim("b")).isEmpty();

        fx.expireLease(job.id());
        Claim b = queue.claim("b").orElseThrow();
        assertThat(b.job().id()).isEqualTo(job.id());
        assertThat(b.token()).isNotEqualTo(a.token());
        assertThat(fx.row(job.id()).attempts()).isEqualTo(2);
        assertThat(fx.row(job.id()).leaseOwner()).isEqualTo("b");

        // The first worker finds out at its next write and stores nothing: no model, no status change.
        assertThat(queue.heartbeat(liveA)).isFalse();
        assertThat(liveA.leaseLost).isTrue();
        assertThat(queue.succeed(liveA, model(job.id()))).isNull();
        assertThat(queue.end(liveA, JobStatus.FAILED, "late")).isFalse();
        assertThat(queue.release(liveA)).isFalse();
        assertThat(fx.modelsOf(job.id())).isZero();
        assertThat(fx.row(job.id()).status()).isEqualTo(JobStatus.RUNNING);

        // The new owner's success is the one that counts: exactly one model.
        LiveJob liveB = fx.live(b);
        String modelId = queue.succeed(liveB, model(job.id()));
        assertThat(modelId).isNotNull();
        JobRow done = fx.row(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.modelId()).isEqualTo(modelId);
        assertThat(done.leaseToken()).isNull();
        assertThat(done.leaseOwner()).as("the instance that ran the job to its end").isEqualTo("b");
        assertThat(done.finishedAt()).isNotNull();
        assertThat(fx.modelsOf(job.id())).isEqualTo(1);
        assertThat(queue.succeed(liveB, model(job.id()))).isNull();
        assertThat(fx.modelsOf(job.id())).isEqualTo(1);
    }

    @Test
    void aJobWhoseWorkersKeepDyingFailsAfterItsAttempts() {
        JobRow job = queue.submit(fx.newJob());
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(queue.claim("a")).isPresent();
            fx.expireLease(job.id());
        }
        assertThat(queue.claim("a")).isEmpty();
        JobRow failed = fx.row(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).contains("interrupted 3 times");
        assertThat(failed.leaseToken()).isNull();
        assertThat(finished(JobStatus.FAILED)).isEqualTo(1);
    }

    @Test
    void aFailedAttemptWaitsBeforeItsRetryAndTheLastOneFails() {
        JobRow job = queue.submit(fx.newJob());
        Claim claim = queue.claim("a").orElseThrow();
        queue.failedAttempt(fx.live(claim), 1, "boom");
        JobRow retried = fx.row(job.id());
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.error()).isEqualTo("boom");
        assertThat(retried.attempts()).isEqualTo(1);
        // Not due yet: it waits pollInterval x 2 = 2 s.
        assertThat(queue.claim("a")).isEmpty();

        fx.jdbc.sql("UPDATE jobs SET available_at = created_at WHERE id = ?").param(job.id()).update();
        Claim second = queue.claim("a").orElseThrow();
        queue.failedAttempt(fx.live(second), 3, "boom again");
        JobRow failed = fx.row(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo("Training failed 3 times; last error: boom again");
    }

    @Test
    void aRestartedInstanceQueuesTheJobsItAbandonedAtOnce() {
        JobRow mine = queue.submit(fx.newJob());
        JobRow theirs = queue.submit(fx.newJob());
        queue.claim("a").orElseThrow();
        queue.claim("b").orElseThrow();

        assertThat(queue.recoverAbandoned("a")).isEqualTo(1);
        assertThat(fx.row(mine.id()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(fx.row(theirs.id()).status()).isEqualTo(JobStatus.RUNNING);
        Claim again = queue.claim("a").orElseThrow();
        assertThat(again.job().id()).isEqualTo(mine.id());
        assertThat(fx.row(mine.id()).attempts()).isEqualTo(2);
    }

    @Test
    void aGracefulStopGivesTheAttemptBack() {
        JobRow job = queue.submit(fx.newJob());
        LiveJob live = fx.live(queue.claim("a").orElseThrow());
        assertThat(queue.release(live)).isTrue();
        JobRow queued = fx.row(job.id());
        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.attempts()).isZero();
        assertThat(queued.leaseOwner()).isNull();
        assertThat(queue.claim("b")).isPresent();
    }

    /** The database went away while the job loaded its data: not the job's fault, so no attempt is spent on it. */
    @Test
    void aJobWhoseDatabaseWentAwayDuringItsRunGoesBackWithoutSpendingAnAttempt() throws Exception {
        fx.datasets.nextLoadFailures.add(new org.springframework.jdbc.CannotGetJdbcConnectionException("database away"));
        JobRow done = runToItsEnd();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts()).as("the outage spent no attempt").isEqualTo(1);
        assertThat(fx.datasets.nextLoadFailures).isEmpty();
    }

    /** A run that ran out of memory says so, and what to do, instead of "failed unexpectedly (details in its log)". */
    @Test
    void aJobThatRanOutOfMemoryEveryTimeSaysSo() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            fx.datasets.nextLoadFailures.add(new OutOfMemoryError("Java heap space"));
        }
        JobRow done = runToItsEnd();
        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.error()).contains("ran out of memory").contains("MiB")
                .contains("use a smaller hiddenSize, batchSize or dataset, or give the service more memory");
    }

    /** Submits a job and runs a worker (three attempts a job) until the job has ended; the job's last row. */
    private JobRow runToItsEnd() throws InterruptedException {
        JobsProperties properties = new JobsProperties(true, 1, Duration.ofMillis(50), LONG_LEASE, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ZERO, 3, Duration.ofSeconds(5), Duration.ofSeconds(30), "worker-a",
                Duration.ofSeconds(15));
        JobQueue retrying = new JobQueue(fx.jobs, fx.losses, fx.datasets, fx.models, fx.transactions,
                QueueFixture.limits(100), properties, fx.metrics);
        JobWorkers workers = new JobWorkers(retrying, fx.runner(retrying, fx.datasets, properties), fx.jobs, fx.metrics,
                properties, new InstanceId(properties, new io.nnserve.system.StorageProperties("./data", 32, 1L << 30,
                        Duration.ofSeconds(1), true, true)));
        JobRow job = retrying.submit(fx.newJob());
        workers.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!fx.row(job.id()).status().isFinal() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            workers.stop();
        }
        return fx.row(job.id());
    }

    private double finished(JobStatus status) {
        var counter = fx.registry.find("nnserve.jobs.finished").tag("status", status.name()).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void cancellingAQueuedJobEndsItAndARunningOneRaisesItsFlag() {
        JobRow queued = queue.submit(fx.newJob());
        assertThat(queue.cancel(queued.id())).contains(CancelOutcome.CANCELLED);
        assertThat(fx.row(queued.id()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(finished(JobStatus.CANCELLED)).as("counted as ended on this instance").isEqualTo(1);
        assertThat(queue.cancel(queued.id())).contains(CancelOutcome.ALREADY_ENDED);
        assertThat(finished(JobStatus.CANCELLED)).isEqualTo(1);
        assertThat(queue.cancel("no-such-job")).isEmpty();

        JobRow running = queue.submit(fx.newJob());
        LiveJob live = fx.live(queue.claim("a").orElseThrow());
        assertThat(queue.cancel(running.id())).contains(CancelOutcome.STOPPING);
        assertThat(fx.row(running.id()).cancelRequested()).isTrue();
        // The worker (maybe on another instance) hears it at its next heartbeat.
        assertThat(queue.heartbeat(live)).isTrue();
        assertThat(live.cancelRequested).isTrue();
        assertThat(queue.end(live, JobStatus.CANCELLED, null)).isTrue();
        assertThat(fx.row(running.id()).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void deletingAnEndedJobRemovesItsHistoryAndLeavesActiveJobsAlone() {
        JobRow ended = queue.submit(fx.newJob());
        LiveJob live = fx.live(queue.claim("a").orElseThrow());
        live.startAt(0, new double[0], List.of());
        for (int i = 0; i < 1500; i++) {
            live.append(1.0 / (i + 1));
        }
        live.addEpoch(0.5, 0.6, 0.01);
        queue.store(live, new JobRepository.Checkpoint(1, 1500, new byte[] {1, 2, 3}));
        assertThat(queue.end(live, JobStatus.SUCCEEDED, null)).isTrue();
        JobRow other = queue.submit(fx.newJob());
        fx.losses.write(other.id(), 0, new double[] {3, 2, 1}, 3);
        // a checkpoint left behind (ending a job removes its own): the delete takes it too
        fx.jobs.saveCheckpoint(ended.id(), new JobRepository.Checkpoint(1, 1500, new byte[] {4}), java.time.Instant.now());
        assertThat(historyRows(ended.id())).as("two loss chunks, an epoch, a checkpoint").isEqualTo(4);

        assertThat(queue.delete(ended.id())).isEqualTo(JobQueue.DeleteOutcome.DELETED);
        assertThat(fx.jobs.find(ended.id())).isEmpty();
        assertThat(historyRows(ended.id())).isZero();
        assertThat(queue.delete(ended.id())).isEqualTo(JobQueue.DeleteOutcome.NOT_FOUND);
        assertThat(queue.delete("no-such-job")).isEqualTo(JobQueue.DeleteOutcome.NOT_FOUND);

        // queued, then running: left as they are, history included
        assertThat(queue.delete(other.id())).isEqualTo(JobQueue.DeleteOutcome.ACTIVE);
        LiveJob running = fx.live(queue.claim("a").orElseThrow());
        assertThat(running.id).isEqualTo(other.id());
        assertThat(queue.delete(other.id())).isEqualTo(JobQueue.DeleteOutcome.ACTIVE);
        assertThat(fx.row(other.id()).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(fx.losses.read(other.id(), 0, 10)).containsExactly(3, 2, 1);
        assertThat(queue.heartbeat(running)).as("its worker still holds it").isTrue();
    }

    private long historyRows(String jobId) {
        long rows = 0;
        for (String table : List.of("job_loss_chunks", "job_epochs", "job_checkpoints")) {
            rows += fx.jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE job_id = ?").param(jobId).query(Long.class)
                    .single();
        }
        return rows;
    }

    @Test
    void aCancelledJobWhoseWorkerDiedIsEndedInsteadOfClaimed() {
        JobRow job = queue.submit(fx.newJob());
        queue.claim("a").orElseThrow();
        queue.cancel(job.id());
        fx.expireLease(job.id());
        assertThat(queue.claim("b")).isEmpty();
        assertThat(fx.row(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void admissionStopsAtTheActiveJobLimit() {
        JobQueue small = fx.queue(LONG_LEASE, 2);
        JobRow first = small.submit(fx.newJob());
        small.submit(fx.newJob());
        assertThatThrownBy(() -> small.submit(fx.newJob()))
                .isInstanceOf(TooManyRequestsException.class)
                .hasMessageContaining("nnserve.limits.max-active-jobs")
                .satisfies(e -> assertThat(((TooManyRequestsException) e).retryAfter()).isEqualTo(Duration.ofSeconds(30)));
        small.cancel(first.id());
        assertThat(small.submit(fx.newJob())).isNotNull();
        assertThat(fx.jobs.count(null)).isEqualTo(3);
    }

    @Test
    void heartbeatsPublishProgress() {
        JobRow job = queue.submit(fx.newJob());
        LiveJob live = fx.live(queue.claim("a").orElseThrow());
        live.startAt(0, new double[0], List.of());
        for (int i = 0; i < 7; i++) {
            live.append(2.0 - i * 0.1);
        }
        live.addEpoch(0.5, 0.6, 0.01);
        assertThat(queue.heartbeat(live)).isTrue();
        JobRow row = fx.row(job.id());
        assertThat(row.iteration()).isEqualTo(7);
        assertThat(row.epoch()).isEqualTo(1);
        assertThat(row.loss()).isEqualTo(2.0 - 6 * 0.1);
        assertThat(row.bestValAccuracy()).isEqualTo(0.6);
        assertThat(fx.jobs.countsByStatus()).containsEntry(JobStatus.RUNNING, 1L).containsEntry(JobStatus.QUEUED, 0L);
    }

    @Test
    void storedLossPointsMoveFromMemoryToChunksWithoutAGap() {
        JobRow job = queue.submit(fx.newJob());
        LiveJob live = fx.live(queue.claim("a").orElseThrow());
        live.startAt(0, new double[0], List.of());
        double[] expected = IntStream.range(0, 2500).mapToDouble(i -> 1.0 / (i + 1)).toArray();
        for (int i = 0; i < 1700; i++) {
            live.append(expected[i]);
        }
        queue.store(live, null);
        // 1,000 points stored in a full chunk left memory; the partial chunk stays for the next store.
        assertThat(live.lossSince(0).memoryStart()).isEqualTo(1000);
        for (int i = 1700; i < 2500; i++) {
            live.append(expected[i]);
        }
        queue.store(live, null);
        assertThat(live.lossSince(0).memoryStart()).isEqualTo(2000);
        assertThat(fx.losses.read(job.id(), 0, 2500)).containsExactly(expected);
        assertThat(fx.losses.read(job.id(), 1234, 2500)).containsExactly(Arrays.copyOfRange(expected, 1234, 2500));
        assertThat(fx.losses.read(job.id(), 2500, 3000)).isEmpty();
        assertThat(fx.jdbc.sql("SELECT COUNT(*) FROM job_loss_chunks WHERE job_id = ?").param(job.id())
                .query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void aRewindForgetsWhatWasWrittenAfterTheCheckpoint() {
        JobRow job = queue.submit(fx.newJob());
        double[] values = IntStream.range(0, 2300).mapToDouble(i -> i).toArray();
        fx.losses.write(job.id(), 0, values, values.length);
        fx.jobs.insertEpochs(job.id(), List.of(new JobRepository.EpochRow(1, 0.5, 0.5, 0.1),
                new JobRepository.EpochRow(2, 0.6, 0.6, 0.1), new JobRepository.EpochRow(3, 0.7, 0.7, 0.1)));
        LiveJob live = fx.live(queue.claim("a").orElseThrow());
        queue.rewindTo(live, 2, 1500);
        assertThat(fx.losses.read(job.id(), 0, 5000)).containsExactly(Arrays.copyOf(values, 1500));
        assertThat(fx.jobs.epochs(job.id(), 0)).extracting(JobRepository.EpochRow::epoch).containsExactly(1, 2);
        LiveJob.MemoryLoss memory = live.lossSince(1400);
        assertThat(memory.memoryStart()).isEqualTo(1000);
        assertThat(memory.losses()).containsExactly(Arrays.copyOfRange(values, 1400, 1500));
        assertThat(live.progress()).isEqualTo(new Progress(2, 1500, 1499.0, 0.6, 0.6, live.progress().runMs()));
    }

    @Test
    void datasetUsageNamesActiveJobsOnly() {
        DatasetUsage usage = new JobUsages().jobDatasetUsage(fx.jobs);
        assertThat(usage.usedBy("blobs")).isNull();
        JobRow job = queue.submit(fx.newJob());
        assertThat(usage.usedBy("blobs")).isEqualTo("job " + job.id() + " (queued or running) uses it; wait until the"
                + " job ends or cancel it with POST /jobs/" + job.id() + "/cancel.");
        JobRow validated = queue.submit(fx.newJob(new TrainRequest("large", "blobs", null, 16, "softmax", 1.0, "l2",
                1e-4, "he", 0.01, "adam", 0.01, 0.9, 0.95, 10, 1, "shuffle", 0, 1L, "standardize", null, "float64"), 1, 10));
        assertThat(usage.usedBy("blobs")).isEqualTo("2 queued or running jobs use it (" + job.id() + ", "
                + validated.id() + "); wait until they end or cancel them with POST /jobs/{id}/cancel.");
        queue.cancel(job.id());
        queue.cancel(validated.id());
        assertThat(usage.usedBy("blobs")).isNull();
        assertThat(usage.usedBy("large")).isNull();
    }

    @Test
    void modelUsageNamesActiveJobsThatStartFromIt() {
        String model = fx.models.register(model("earlier-job"));
        ModelUsage usage = new JobUsages().jobModelUsage(fx.jobs);
        assertThat(usage.usedBy(model)).isNull();
        JobRow first = queue.submit(fx.newJob(startingFrom(model), 1, 10));
        assertThat(usage.usedBy(model)).isEqualTo("job " + first.id() + " (queued or running) starts from it; wait "
                + "until the job ends or cancel it with POST /jobs/" + first.id() + "/cancel.");
        List<JobRow> more = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            more.add(queue.submit(fx.newJob(startingFrom(model), 1, 10)));
        }
        assertThat(usage.usedBy(model)).startsWith("7 queued or running jobs start from it (" + first.id() + ", ")
                .contains(more.get(3).id()).doesNotContain(more.get(5).id()).endsWith(", ...); wait until they end "
                        + "or cancel them with POST /jobs/{id}/cancel.");
        assertThat(fx.row(first.id()).initialModelId()).isEqualTo(model);

        more.forEach(job -> queue.cancel(job.id()));
        LiveJob running = fx.live(queue.claim("a").orElseThrow());
        assertThat(running.id).isEqualTo(first.id());
        assertThat(usage.usedBy(model)).as("a running job needs it too").startsWith("job " + first.id() + " ");
        queue.end(running, JobStatus.FAILED, "stopped by the test");
        assertThat(usage.usedBy(model)).isNull();
    }

    static TrainRequest startingFrom(String modelId) {
        return new TrainRequest("blobs", null, 0.1, 1, "softmax", 1.0, "l2", 1e-4, "he", 0.01, "adam", 0.01, 0.9, 0.95,
                30, 1, "shuffle", 0, 1L, "standardize", modelId, "float64");
    }

    @Test
    void aJobWhoseInitialModelWasDeletedAfterItsValidationIsNotQueued() {
        assertThatThrownBy(() -> queue.submit(fx.newJob(startingFrom("deleted-model"), 1, 10)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems()).containsExactly(
                        new FieldProblem("initialModelId", "model 'deleted-model' does not exist; GET /models lists the registered ones")));
        assertThat(fx.jobs.count(null)).isZero();
    }

    @Test
    void jobsQueuedBeforeTheInitialModelColumnGetItFromTheirRequest() {
        DataSource before = newDataSource();
        Flyway.configure().dataSource(before).locations("classpath:db/migration").target("3").load().migrate();
        JdbcClient jdbc = JdbcClient.create(before);
        JsonMapper json = JsonMapper.builder().build();
        String insert = "INSERT INTO jobs (id, status, dataset_id, request_json, epochs, iterations, available_at, "
                + "created_at, updated_at) VALUES (?, ?, 'blobs', ?, 1, 10, ?, ?, ?)";
        OffsetDateTime now = JobRepository.time(java.time.Instant.now());
        jdbc.sql(insert).params("queued", "QUEUED", json.writeValueAsString(startingFrom("m-1.a_b")), now, now, now)
                .update();
        jdbc.sql(insert).params("ended", "SUCCEEDED", json.writeValueAsString(startingFrom("m-2")), now, now, now)
                .update();
        jdbc.sql(insert).params("fresh", "QUEUED", json.writeValueAsString(startingFrom(null)), now, now, now).update();

        Flyway.configure().dataSource(before).locations("classpath:db/migration").load().migrate();

        JobRepository migrated = new JobRepository(jdbc);
        assertThat(migrated.activeJobsStartingFrom("m-1.a_b")).containsExactly("queued");
        assertThat(migrated.find("ended").orElseThrow().initialModelId()).isEqualTo("m-2");
        assertThat(migrated.find("fresh").orElseThrow().initialModelId()).isNull();
    }

    @Test
    void aJobWhoseDatasetWasDeletedAfterItsValidationIsNotQueued() {
        fx.datasets.remove("blobs");
        assertThatThrownBy(() -> queue.submit(fx.newJob()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems()).containsExactly(
                        new FieldProblem("datasetId", "dataset 'blobs' does not exist; GET /datasets lists the registered ones")));
        JobRow validated = fx.newJob(new TrainRequest("large", "blobs", null, 16, "softmax", 1.0, "l2", 1e-4, "he",
                0.01, "adam", 0.01, 0.9, 0.95, 10, 1, "shuffle", 0, 1L, "standardize", null, "float64"), 1, 10);
        assertThatThrownBy(() -> queue.submit(validated))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
                        .extracting(FieldProblem::field).containsExactly("validationDatasetId"));
        assertThat(fx.jobs.count(null)).isZero();
    }

    @Test
    void anInterruptedJobResumesFromItsCheckpointAsIfNeverInterrupted() {
        FakeDatasets data = new FakeDatasets();
        JobRunner runner = fx.runner(queue, data);
        TrainRequest request = QueueFixture.request("blobs", 4, 10, 7);
        // 300 rows, 30 held out: 27 iterations per epoch.
        long iterations = 4 * 27;

        JobRow reference = queue.submit(fx.newJob(request, 4, iterations));
        Claim claim = queue.claim("a").orElseThrow();
        runner.run(claim, fx.live(claim));
        assertThat(fx.row(reference.id()).status()).isEqualTo(JobStatus.SUCCEEDED);

        JobRow job = queue.submit(fx.newJob(request, 4, iterations));
        // A graceful stop: the first epoch ends, is checkpointed, and the job goes back to the queue.
        Claim first = queue.claim("a").orElseThrow();
        LiveJob stopping = fx.live(first);
        stopping.shutdownRequested = true;
        runner.run(first, stopping);
        JobRow released = fx.row(job.id());
        assertThat(released.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(released.attempts()).isZero();
        assertThat(released.epoch()).isEqualTo(1);
        assertThat(released.iteration()).isEqualTo(27);
        assertThat(fx.jobs.checkpoint(job.id())).hasValueSatisfying(c -> assertThat(c.iteration()).isEqualTo(27));

        // The second attempt trains epoch 2, then its instance dies after storing part of epoch 3.
        Claim second = queue.claim("b").orElseThrow();
        LiveJob dying = fx.live(second);
        dying.shutdownRequested = true;
        runner.run(second, dying);
        double[] stored = fx.losses.read(job.id(), 0, iterations);
        assertThat(stored).hasSize(54);
        double[] withGarbage = Arrays.copyOf(stored, 60);
        Arrays.fill(withGarbage, 54, 60, 99.0);
        fx.losses.write(job.id(), 0, withGarbage, withGarbage.length);
        fx.jobs.insertEpochs(job.id(), List.of(new JobRepository.EpochRow(3, 0.1, 0.1, 0.1)));
        fx.jdbc.sql("UPDATE jobs SET status = 'RUNNING', lease_owner = 'b', lease_token = 'dead', attempts = 1 WHERE id = ?")
                .param(job.id()).update();
        fx.expireLease(job.id());

        Claim third = queue.claim("c").orElseThrow();
        assertThat(third.job().id()).isEqualTo(job.id());
        runner.run(third, fx.live(third));
        JobRow done = fx.row(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.iteration()).isEqualTo(iterations);
        assertThat(fx.jobs.checkpoint(job.id())).isEmpty();

        assertThat(fx.losses.read(job.id(), 0, iterations + 10))
                .containsExactly(fx.losses.read(reference.id(), 0, iterations + 10));
        assertThat(fx.jobs.epochs(job.id(), 0)).isEqualTo(fx.jobs.epochs(reference.id(), 0));
        assertThat(fx.modelsOf(job.id())).isEqualTo(1);
        NewModel resumed = fx.models.registered.stream().filter(m -> m.jobId().equals(job.id())).findFirst().orElseThrow();
        NewModel uninterrupted = fx.models.registered.stream().filter(m -> m.jobId().equals(reference.id())).findFirst()
                .orElseThrow();
        assertThat(resumed.parameters()).isEqualTo(uninterrupted.parameters());
        assertThat(resumed.preprocessing()).isEqualTo(uninterrupted.preprocessing());
        assertThat(resumed.valAccuracy()).isEqualTo(uninterrupted.valAccuracy());
        assertThat(resumed.hyperparameters()).containsEntry("seed", 7L).containsEntry("epochs", 4);
    }

    @Test
    void aJobWhoseDatasetIsGoneFailsWithAMessage() {
        FakeDatasets data = new FakeDatasets();
        data.remove("blobs");
        JobRow job = queue.submit(fx.newJob());
        Claim claim = queue.claim("a").orElseThrow();
        fx.runner(queue, data).run(claim, fx.live(claim));
        JobRow failed = fx.row(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).contains("dataset 'blobs' does not exist");
    }

    @Test
    void aLongLossHistoryIsAFewChunkRows() {
        JobRow job = queue.submit(fx.newJob());
        double[] values = IntStream.range(0, 100_000).mapToDouble(i -> Math.exp(-i / 10_000.0)).toArray();
        fx.losses.write(job.id(), 0, values, values.length);
        assertThat(fx.jdbc.sql("SELECT COUNT(*) FROM job_loss_chunks WHERE job_id = ?").param(job.id())
                .query(Long.class).single()).isEqualTo(100);
        assertThat(fx.losses.read(job.id(), 99_990, 100_000)).containsExactly(Arrays.copyOfRange(values, 99_990, 100_000));
        assertThat(fx.losses.read(job.id(), 0, 100_000)).containsExactly(values);
    }

    @Test
    void aDamagedCheckpointMeansStartingAgainNotFailing() {
        FakeDatasets data = new FakeDatasets();
        JobRow job = queue.submit(fx.newJob(QueueFixture.request("blobs", 2, 30, 1), 2, 18));
        Claim first = queue.claim("a").orElseThrow();
        LiveJob stopping = fx.live(first);
        stopping.shutdownRequested = true;
        fx.runner(queue, data).run(first, stopping);
        assertThat(fx.row(job.id()).iteration()).isEqualTo(9);
        fx.jdbc.sql("UPDATE job_checkpoints SET state = ? WHERE job_id = ?").params(new byte[] {1, 2, 3}, job.id()).update();

        Claim second = queue.claim("a").orElseThrow();
        fx.runner(queue, data).run(second, fx.live(second));
        JobRow done = fx.row(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.iteration()).isEqualTo(18);
        assertThat(fx.losses.read(job.id(), 0, 100)).hasSize(18);
        assertThat(fx.jobs.epochs(job.id(), 0)).hasSize(2);
    }

    @Test
    void checkpointsAreWrittenEachEpochOrAtMostOncePerCheckpointInterval() {
        FakeDatasets data = new FakeDatasets();
        for (Duration interval : List.of(Duration.ZERO, Duration.ofHours(1))) {
            List<Integer> checkpointEpochs = new ArrayList<>();
            List<Integer> stores = new ArrayList<>();
            JobQueue counting = new JobQueue(fx.jobs, fx.losses, fx.datasets, fx.models, fx.transactions,
                    QueueFixture.limits(100), QueueFixture.properties(LONG_LEASE), fx.metrics) {
                @Override
                void store(LiveJob live, JobRepository.Checkpoint checkpoint) {
                    stores.add(live.progress().epoch());
                    if (checkpoint != null) {
                        checkpointEpochs.add(checkpoint.epoch());
                    }
                    super.store(live, checkpoint);
                }
            };
            JobRow job = counting.submit(fx.newJob(QueueFixture.request("blobs", 4, 30, 1), 4, 36));
            Claim claim = counting.claim("a").orElseThrow();
            fx.runner(counting, data, QueueFixture.properties(LONG_LEASE, interval)).run(claim, fx.live(claim));
            assertThat(fx.row(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
            // The epochs' losses and metrics are stored either way.
            assertThat(fx.jobs.epochs(job.id(), 0)).hasSize(4);
            assertThat(fx.losses.read(job.id(), 0, 100)).hasSize(36);
            assertThat(checkpointEpochs).isEqualTo(interval.isZero() ? List.of(1, 2, 3, 4) : List.of());
            // Between checkpoints, epoch ends store at most every flush-interval (1 s here; the job takes
            // milliseconds), not each time: the job's end stores the rest with its model.
            if (!interval.isZero()) {
                assertThat(stores).hasSizeLessThanOrEqualTo(1);
            }
        }
    }
}
