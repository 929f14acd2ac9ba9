package io.nnserve.resilience;

import static io.nnserve.resilience.Workloads.ITERATIONS_PER_EPOCH;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nnserve.support.ServiceProcess;

/**
 * SIGTERM to a real service process while it trains (what an orchestrator does on a redeploy): the process stops
 * claiming, lets the running epoch end, checkpoints it, puts the job back in the queue (without using up an
 * attempt) and exits within the shutdown timeout. The database the process leaves behind is read directly: it is
 * what the next instance, here or elsewhere, starts from.
 */
class SigtermWhileTrainingTest {

    /** {@code spring.lifecycle.timeout-per-shutdown-phase} of application.yml: the longest a stop may take. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ServiceProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aTerminatedInstanceFinishesItsEpochAndGivesTheJobBack() throws Exception {
        Path dataDir = dir.resolve("data");
        List<String> args = new ArrayList<>(Workloads.queueSettings("4s"));
        args.add("--nnserve.storage.data-dir=" + dataDir);
        service = ServiceProcess.start("terminated", dir, args).awaitReady();
        String datasetId = service.registerCsv("blobs", Workloads.blobsCsv());
        String jobId = service.train(Workloads.trainRequest(datasetId, 1000, 21));
        service.awaitJob(jobId, "past epoch 1", j -> j.get("epoch").intValue() >= 1, Duration.ofMinutes(4));
        // A client following the job live: its open stream must neither hold the shutdown nor be cut off mid-stream.
        // (send returns once the stream has started: its first events are sent at once)
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(service.uri("/jobs/" + jobId + "/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<List<String>> events = CompletableFuture.supplyAsync(() -> stream.body().toList());

        Duration took = service.terminate(SHUTDOWN_TIMEOUT.plusSeconds(30));
        assertThat(took).as("time from SIGTERM to exit\n%s", service.logTail()).isLessThan(SHUTDOWN_TIMEOUT);
        List<String> lines = events.get(5, TimeUnit.SECONDS); // throws if the stream was cut off, not ended
        assertThat(lines).as("events received").anyMatch(l -> l.startsWith("event:"))
                .contains("retry:1000").anyMatch(l -> l.startsWith(":") && l.contains("shutting down"));
        assertThat(service.log()).doesNotContain("Graceful shutdown aborted");
        // The job stopped on its own at the end of its epoch, long before nnserve.jobs.shutdown-grace (20 s) would
        // have forced it to stop in the middle of one.
        assertThat(service.log()).contains("job " + jobId + " put back in the queue at iteration")
                .doesNotContain("shutdown grace over");

        String url = "jdbc:h2:file:" + dataDir.resolve("nnserve")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            try (PreparedStatement q = db.prepareStatement("SELECT status, attempts, lease_owner, lease_token, epoch, "
                    + "iteration FROM jobs WHERE id = ?")) {
                q.setString(1, jobId);
                try (ResultSet job = q.executeQuery()) {
                    assertThat(job.next()).as("the job is still stored").isTrue();
                    assertThat(job.getString("status")).isEqualTo("QUEUED");
                    assertThat(job.getInt("attempts")).as("a graceful stop gives the attempt back").isZero();
                    assertThat(job.getString("lease_owner")).isNull();
                    assertThat(job.getString("lease_token")).isNull();
                    int epoch = job.getInt("epoch");
                    long iteration = job.getLong("iteration");
                    assertThat(epoch).isBetween(1, 999);
                    // It stopped at the end of an epoch (the one running at the SIGTERM), not in the middle of one.
                    assertThat(iteration).isEqualTo((long) epoch * ITERATIONS_PER_EPOCH);
                    assertCheckpointAt(db, jobId, epoch, iteration);
                    assertThat(storedLossPoints(db, jobId)).as("loss points stored").isEqualTo(iteration);
                }
            }
        }
    }

    private static void assertCheckpointAt(Connection db, String jobId, int epoch, long iteration) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT epoch, iteration, state FROM job_checkpoints WHERE job_id = ?")) {
            q.setString(1, jobId);
            try (ResultSet checkpoint = q.executeQuery()) {
                assertThat(checkpoint.next()).as("a checkpoint to resume from").isTrue();
                assertThat(checkpoint.getInt("epoch")).isEqualTo(epoch);
                assertThat(checkpoint.getLong("iteration")).isEqualTo(iteration);
                assertThat(checkpoint.getBytes("state")).isNotEmpty();
            }
        }
    }

    private static long storedLossPoints(Connection db, String jobId) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT COALESCE(SUM(points), 0) FROM job_loss_chunks WHERE job_id = ?")) {
            q.setString(1, jobId);
            try (ResultSet sum = q.executeQuery()) {
                sum.next();
                return sum.getLong(1);
            }
        }
    }
}
