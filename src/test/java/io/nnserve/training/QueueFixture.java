package io.nnserve.training;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nnserve.model.Models;
import io.nnserve.model.NewModel;
import io.nnserve.nn.Precision;
import io.nnserve.system.LimitsProperties;
import io.nnserve.training.JobRepository.JobRow;
import tools.jackson.databind.json.JsonMapper;

/**
 * The queue's parts wired by hand on a given database (migrated by Flyway), without Spring: what the queue tests
 * on H2 and on PostgreSQL share. Datasets are {@link FakeDatasets} in memory, so the queue's lock on them is a
 * lookup here (the database lock is tested with the real feature in DeleteWhileQueuingContract). Models are
 * recorded in a table of the test's own, inside the caller's transaction, so a rolled-back success leaves no model
 * behind, as with the real registry.
 */
final class QueueFixture implements AutoCloseable {

    final DataSource dataSource;
    final JdbcClient jdbc;
    final JobRepository jobs;
    final LossStore losses;
    /** What the queue checks a job's datasets against: blobs and large, until a test removes one. */
    final FakeDatasets datasets = new FakeDatasets();
    final RecordingModels models;
    final DataSourceTransactionManager transactions;
    final JsonMapper json = JsonMapper.builder().build();
    /** The queue's and the runners' job metrics, to read what they counted. */
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final JobMetrics metrics = new JobMetrics(registry);

    QueueFixture(DataSource database) {
        // Pooled, as in the service: a new connection per statement would make PostgreSQL tests crawl.
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(database);
        pool.setMaximumPoolSize(8);
        pool.setMinimumIdle(0);
        this.dataSource = new HikariDataSource(pool);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.jdbc = JdbcClient.create(dataSource);
        jdbc.sql("CREATE TABLE test_models (id VARCHAR(64) PRIMARY KEY, job_id VARCHAR(64))").update();
        this.jobs = new JobRepository(jdbc);
        this.losses = new LossStore(jdbc);
        this.models = new RecordingModels(jdbc);
        this.transactions = new DataSourceTransactionManager(dataSource);
    }

    @Override
    public void close() {
        ((HikariDataSource) dataSource).close();
    }

    static JobsProperties properties(Duration lease) {
        return properties(lease, Duration.ZERO);
    }

    static JobsProperties properties(Duration lease, Duration checkpointInterval) {
        return new JobsProperties(true, 1, Duration.ofSeconds(1), lease, Duration.ofSeconds(1), Duration.ofSeconds(1),
                checkpointInterval, 3, Duration.ofSeconds(5), Duration.ofSeconds(30), "", Duration.ofSeconds(15));
    }

    static LimitsProperties limits(int maxActiveJobs) {
        return new LimitsProperties(67108864L, 268435456L, 1000000, 100000, 60000000L, 1000, 4096, 10000, 10000000L,
                1073741824L, 100000, maxActiveJobs, 64, 64, 1000000);
    }

    JobQueue queue(Duration lease, int maxActiveJobs) {
        return new JobQueue(jobs, losses, datasets, models, transactions, limits(maxActiveJobs), properties(lease),
                metrics);
    }

    /** A queued job row for {@code request} (its stored JSON); 10 epochs of 10 iterations unless the request says. */
    JobRow newJob(TrainRequest request, int epochs, long iterations) {
        return new JobRow(UUID.randomUUID().toString(), JobStatus.QUEUED, request.datasetId(),
                request.validationDatasetId(), request.initialModelId(), json.writeValueAsString(request), null, null,
                epochs, iterations, 0, 0, null, null, null, null, null, 0, false, null, null, null, 0, Instant.now(), null,
                null);
    }

    JobRow newJob() {
        return newJob(request("blobs", 3, 30, 1), 10, 100);
    }

    static TrainRequest request(String datasetId, int epochs, int batchSize, long seed) {
        return new TrainRequest(datasetId, null, 0.1, 16, "softmax", 1.0, "l2", 1e-4, "he", 0.01, "adam", 0.01, 0.9,
                0.95, batchSize, epochs, "shuffle", 0, seed, "standardize", null, "float64");
    }

    JobRow row(String id) {
        return jobs.find(id).orElseThrow();
    }

    /** Makes a running job's lease end now, as if its worker had died. */
    void expireLease(String id) {
        jdbc.sql("UPDATE jobs SET lease_expires_at = ? WHERE id = ?")
                .params(JobRepository.time(Instant.now().minusSeconds(1)), id).update();
    }

    long modelsOf(String jobId) {
        return jdbc.sql("SELECT COUNT(*) FROM test_models WHERE job_id = ?").param(jobId).query(Long.class).single();
    }

    LiveJob live(JobQueue.Claim claim) {
        JobRow job = claim.job();
        return LiveJob.claimed(job, claim.token());
    }

    JobRunner runner(JobQueue queue, FakeDatasets datasets) {
        return runner(queue, datasets, properties(Duration.ofSeconds(30)));
    }

    JobRunner runner(JobQueue queue, FakeDatasets datasets, JobsProperties properties) {
        return new JobRunner(queue, datasets, models, metrics, properties, json);
    }

    /** Models as the registry would hold them: a row in the caller's transaction, the weights in memory. */
    static final class RecordingModels implements Models {
        private final JdbcClient jdbc;
        final List<NewModel> registered = new CopyOnWriteArrayList<>();
        final Map<String, Trained> trained = new java.util.concurrent.ConcurrentHashMap<>();

        RecordingModels(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public String register(NewModel model) {
            String id = "model-" + UUID.randomUUID();
            jdbc.sql("INSERT INTO test_models (id, job_id) VALUES (?, ?)").params(id, model.jobId()).update();
            registered.add(model);
            trained.put(id, new Trained(model.parameters(), model.preprocessing(), Precision.parse(model.precision())));
            return id;
        }

        @Override
        public Optional<Trained> trained(String modelId) {
            return Optional.ofNullable(trained.get(modelId));
        }

        @Override
        public boolean lockAgainstDeletion(String modelId) {
            return trained.containsKey(modelId);
        }
    }
}
