package io.nnserve.training;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL over the {@code jobs}, {@code job_checkpoints} and {@code job_epochs} tables; nothing else in the service
 * touches them. Methods run in the caller's transaction. Every write a worker makes to a running job is guarded by
 * its lease token, so a worker that lost its lease (a long pause, a partition) cannot overwrite the job's new owner.
 */
@Repository
class JobRepository {

    private static final String COLUMNS = "id, status, dataset_id, validation_dataset_id, initial_model_id, "
            + "request_json, idempotency_key, request_hash, epochs, iterations, epoch, iteration, loss, best_val_accuracy, "
            + "train_accuracy, model_id, error, attempts, cancel_requested, lease_owner, lease_token, lease_expires_at, "
            + "run_ms, created_at, started_at, finished_at";

    private final JdbcClient jdbc;

    JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored job. Never leaves the training package: the API shows {@link JobView}. */
    record JobRow(String id, JobStatus status, String datasetId, String validationDatasetId, String initialModelId,
                  String requestJson, String idempotencyKey, String requestHash, int epochs, long iterations, int epoch,
                  long iteration, Double loss, Double bestValAccuracy, Double trainAccuracy, String modelId, String error,
                  int attempts, boolean cancelRequested, String leaseOwner, String leaseToken, Instant leaseExpiresAt,
                  long runMs, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    /** What a worker publishes about a running job. */
    record Progress(int epoch, long iteration, Double loss, Double bestValAccuracy, Double trainAccuracy, long runMs) {
    }

    void insert(JobRow job) {
        jdbc.sql("INSERT INTO jobs (id, status, dataset_id, validation_dataset_id, initial_model_id, request_json, "
                        + "idempotency_key, request_hash, epochs, iterations, available_at, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(job.id(), job.status().name(), job.datasetId(), job.validationDatasetId(), job.initialModelId(),
                        job.requestJson(), job.idempotencyKey(), job.requestHash(), job.epochs(), job.iterations(),
                        time(job.createdAt()), time(job.createdAt()), time(job.createdAt()))
                .update();
    }

    Optional<JobRow> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = ?").param(id).query(JobRepository::row).optional();
    }

    Optional<JobRow> findByIdempotencyKey(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE idempotency_key = ?").param(key)
                .query(JobRepository::row).optional();
    }

    /** Newest first; {@code status} null means all. */
    List<JobRow> page(JobStatus status, long offset, int limit) {
        String where = status == null ? "" : " WHERE status = :status";
        var spec = jdbc.sql("SELECT " + COLUMNS + " FROM jobs" + where
                + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset");
        if (status != null) {
            spec = spec.param("status", status.name());
        }
        return spec.param("limit", limit).param("offset", offset).query(JobRepository::row).list();
    }

    long count(JobStatus status) {
        if (status == null) {
            return jdbc.sql("SELECT COUNT(*) FROM jobs").query(Long.class).single();
        }
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = ?").param(status.name()).query(Long.class).single();
    }

    Map<JobStatus, Long> countsByStatus() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            counts.put(s, 0L);
        }
        jdbc.sql("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status")
                .query((rs, i) -> counts.put(JobStatus.valueOf(rs.getString("status")), rs.getLong("n")))
                .list();
        return counts;
    }

    long countActive() {
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status IN ('QUEUED', 'RUNNING')").query(Long.class).single();
    }

    /** Serialises submissions (across instances) until the caller's transaction ends. */
    void lockAdmission() {
        jdbc.sql("SELECT id FROM job_admission WHERE id = 1 FOR UPDATE").query(Integer.class).single();
    }

    /** Ids of queued or running jobs that read the dataset (as training or validation data). */
    List<String> activeJobsUsing(String datasetId) {
        return jdbc.sql("SELECT id FROM jobs WHERE (dataset_id = ? OR validation_dataset_id = ?) "
                        + "AND status IN ('QUEUED', 'RUNNING') ORDER BY created_at")
                .params(datasetId, datasetId).query(String.class).list();
    }

    /** Ids of queued or running jobs that start their training from the model (their initialModelId). */
    List<String> activeJobsStartingFrom(String modelId) {
        return jdbc.sql("SELECT id FROM jobs WHERE initial_model_id = ? AND status IN ('QUEUED', 'RUNNING') "
                        + "ORDER BY created_at")
                .param(modelId).query(String.class).list();
    }

    /**
     * Locks the oldest job a worker may take: queued and due, or running under a lease that has ended. Other
     * transactions skip the locked row, so two claimers never get the same job.
     */
    Optional<JobRow> lockNextClaimable(Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs "
                        + "WHERE (status = 'QUEUED' AND available_at <= :now) "
                        + "OR (status = 'RUNNING' AND lease_expires_at < :now) "
                        + "ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")
                .param("now", time(now)).query(JobRepository::row).optional();
    }

    void markClaimed(String id, String owner, String token, Instant leaseUntil, Instant now) {
        jdbc.sql("UPDATE jobs SET status = 'RUNNING', lease_owner = ?, lease_token = ?, lease_expires_at = ?, "
                        + "attempts = attempts + 1, started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ?")
                .params(owner, token, time(leaseUntil), time(now), time(now), id).update();
    }

    /** Ends a job that no worker holds (cancelled while queued or abandoned, out of attempts). */
    int finishUnleased(String id, JobStatus from, JobStatus to, String error, Instant now) {
        return jdbc.sql("UPDATE jobs SET status = ?, error = COALESCE(?, error), lease_owner = NULL, lease_token = NULL, "
                        + "lease_expires_at = NULL, finished_at = ?, updated_at = ? WHERE id = ? AND status = ?")
                .params(to.name(), error, time(now), time(now), id, from.name()).update();
    }

    /** Renews a lease and publishes progress; 0 means the lease is gone (another worker owns the job). */
    int heartbeat(String id, String token, Instant leaseUntil, Progress progress, Instant now) {
        return jdbc.sql("UPDATE jobs SET lease_expires_at = ?, epoch = ?, iteration = ?, loss = ?, best_val_accuracy = ?, "
                        + "train_accuracy = ?, run_ms = ?, updated_at = ? "
                        + "WHERE id = ? AND lease_token = ? AND status = 'RUNNING'")
                .params(time(leaseUntil), progress.epoch(), progress.iteration(), progress.loss(),
                        progress.bestValAccuracy(), progress.trainAccuracy(), progress.runMs(), time(now), id, token)
                .update();
    }

    boolean cancelRequested(String id) {
        return jdbc.sql("SELECT cancel_requested FROM jobs WHERE id = ?").param(id).query(Boolean.class).optional()
                .orElse(false);
    }

    /**
     * Deletes a job that has ended, with its loss history, epochs and checkpoint (their rows go with it: ON DELETE
     * CASCADE); 0 rows when there is no such job or it is still queued or running, which no worker can then be
     * writing to. The model it trained is not touched.
     */
    int deleteEnded(String id) {
        return jdbc.sql("DELETE FROM jobs WHERE id = ? AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')").param(id)
                .update();
    }

    int requestCancel(String id, Instant now) {
        return jdbc.sql("UPDATE jobs SET cancel_requested = TRUE, updated_at = ? WHERE id = ? AND status = 'RUNNING'")
                .params(time(now), id).update();
    }

    /**
     * The worker's final word on its job; 0 rows means it no longer holds the lease and must roll back. The lease
     * ends (token and expiry cleared) but {@code lease_owner} stays: it tells which instance ran the job to its end.
     */
    int finishLeased(String id, String token, JobStatus to, String modelId, String error, Progress progress, Instant now) {
        return jdbc.sql("UPDATE jobs SET status = ?, model_id = ?, error = ?, epoch = ?, iteration = ?, loss = ?, "
                        + "best_val_accuracy = ?, train_accuracy = ?, run_ms = ?, lease_token = NULL, "
                        + "lease_expires_at = NULL, finished_at = ?, updated_at = ? "
                        + "WHERE id = ? AND lease_token = ? AND status = 'RUNNING'")
                .params(to.name(), modelId, error, progress.epoch(), progress.iteration(), progress.loss(),
                        progress.bestValAccuracy(), progress.trainAccuracy(), progress.runMs(), time(now), time(now),
                        id, token)
                .update();
    }

    /**
     * Puts a job back in the queue. A graceful stop gives the attempt back ({@code countsAsAttempt} false); a
     * failed attempt keeps it and waits until {@code availableAt}.
     */
    int requeue(String id, String token, boolean countsAsAttempt, String error, Instant availableAt, Progress progress,
                Instant now) {
        return jdbc.sql("UPDATE jobs SET status = 'QUEUED', attempts = attempts - ?, error = COALESCE(?, error), "
                        + "epoch = ?, iteration = ?, loss = ?, best_val_accuracy = ?, train_accuracy = ?, run_ms = ?, "
                        + "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, available_at = ?, updated_at = ? "
                        + "WHERE id = ? AND lease_token = ? AND status = 'RUNNING'")
                .params(countsAsAttempt ? 0 : 1, error, progress.epoch(), progress.iteration(), progress.loss(),
                        progress.bestValAccuracy(), progress.trainAccuracy(), progress.runMs(), time(availableAt),
                        time(now), id, token)
                .update();
    }

    /**
     * At start-up: jobs this instance held when it stopped without releasing them (a crash, kill -9) go back to
     * the queue at once instead of waiting for their leases to end. The interrupted attempt still counts.
     */
    int requeueAbandonedBy(String owner, Instant now) {
        return jdbc.sql("UPDATE jobs SET status = 'QUEUED', lease_owner = NULL, lease_token = NULL, "
                        + "lease_expires_at = NULL, available_at = ?, updated_at = ? "
                        + "WHERE status = 'RUNNING' AND lease_owner = ?")
                .params(time(now), time(now), owner).update();
    }

    // --- checkpoints and epochs

    record Checkpoint(int epoch, long iteration, byte[] state) {
    }

    void saveCheckpoint(String jobId, Checkpoint checkpoint, Instant now) {
        int updated = jdbc.sql("UPDATE job_checkpoints SET epoch = ?, iteration = ?, state = ?, created_at = ? WHERE job_id = ?")
                .params(checkpoint.epoch(), checkpoint.iteration(), checkpoint.state(), time(now), jobId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO job_checkpoints (job_id, epoch, iteration, state, created_at) VALUES (?, ?, ?, ?, ?)")
                    .params(jobId, checkpoint.epoch(), checkpoint.iteration(), checkpoint.state(), time(now)).update();
        }
    }

    Optional<Checkpoint> checkpoint(String jobId) {
        return jdbc.sql("SELECT epoch, iteration, state FROM job_checkpoints WHERE job_id = ?").param(jobId)
                .query((rs, i) -> new Checkpoint(rs.getInt("epoch"), rs.getLong("iteration"), rs.getBytes("state")))
                .optional();
    }

    void deleteCheckpoint(String jobId) {
        jdbc.sql("DELETE FROM job_checkpoints WHERE job_id = ?").param(jobId).update();
    }

    record EpochRow(int epoch, double trainAccuracy, Double valAccuracy, double learningRate) {
    }

    void insertEpochs(String jobId, List<EpochRow> epochs) {
        for (EpochRow e : epochs) {
            jdbc.sql("INSERT INTO job_epochs (job_id, epoch, train_accuracy, val_accuracy, learning_rate) VALUES (?, ?, ?, ?, ?)")
                    .params(jobId, e.epoch(), e.trainAccuracy(), e.valAccuracy(), e.learningRate()).update();
        }
    }

    List<EpochRow> epochs(String jobId, int fromEpoch) {
        return jdbc.sql("SELECT epoch, train_accuracy, val_accuracy, learning_rate FROM job_epochs "
                        + "WHERE job_id = ? AND epoch >= ? ORDER BY epoch")
                .params(jobId, fromEpoch)
                .query((rs, i) -> new EpochRow(rs.getInt("epoch"), rs.getDouble("train_accuracy"),
                        nullableDouble(rs, "val_accuracy"), rs.getDouble("learning_rate")))
                .list();
    }

    /** Forgets epochs after a checkpoint (they are trained again on resume). */
    void deleteEpochsAfter(String jobId, int epoch) {
        jdbc.sql("DELETE FROM job_epochs WHERE job_id = ? AND epoch > ?").params(jobId, epoch).update();
    }

    // --- mapping

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static JobRow row(ResultSet rs, int rowNum) throws SQLException {
        return new JobRow(rs.getString("id"), JobStatus.valueOf(rs.getString("status")), rs.getString("dataset_id"),
                rs.getString("validation_dataset_id"), rs.getString("initial_model_id"), rs.getString("request_json"),
                rs.getString("idempotency_key"), rs.getString("request_hash"), rs.getInt("epochs"),
                rs.getLong("iterations"), rs.getInt("epoch"), rs.getLong("iteration"), nullableDouble(rs, "loss"),
                nullableDouble(rs, "best_val_accuracy"), nullableDouble(rs, "train_accuracy"), rs.getString("model_id"),
                rs.getString("error"), rs.getInt("attempts"), rs.getBoolean("cancel_requested"),
                rs.getString("lease_owner"), rs.getString("lease_token"), instant(rs, "lease_expires_at"),
                rs.getLong("run_ms"), instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
    }
}
