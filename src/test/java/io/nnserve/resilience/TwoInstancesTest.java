package io.nnserve.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nnserve.support.EmbeddedPostgresSupport;
import io.nnserve.support.ServiceProcess;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of the service on one PostgreSQL (embedded, started by the test): jobs submitted to one run on
 * either, a model trained on one is served by the other, a model deleted on one disappears from the other, and a
 * job whose instance is killed is taken over by the other once its lease ends, from its checkpoint.
 * <p>
 * The instances are two child processes rather than two Spring contexts in the test JVM: separate JVMs share
 * nothing but the database (no static state, no common model cache or meter registry, no shared connection pool),
 * exactly as in production, and only a process can be killed with {@code kill -9} to show the lease take-over.
 * They start at the same time on the empty database, so the concurrent Flyway migration and registration of the
 * built-in datasets and model are part of the test too.
 */
class TwoInstancesTest {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    /** How long a model deleted elsewhere may still be served from this instance's cache. */
    private static final String REVALIDATE_AFTER = "300ms";

    @TempDir
    Path dir;

    private final List<ServiceProcess> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(ServiceProcess::close);
    }

    private ServiceProcess start(String instanceId, String databaseUrl) {
        List<String> args = new ArrayList<>(Workloads.queueSettings("4s"));
        args.add("--nnserve.storage.data-dir=" + dir.resolve(instanceId));
        args.add("--nnserve.jobs.instance-id=" + instanceId);
        // a checkpoint every epoch: a job taken over resumes from one taken a few epochs in
        args.add("--nnserve.jobs.checkpoint-interval=0s");
        args.add("--nnserve.storage.model-revalidate-after=" + REVALIDATE_AFTER);
        args.add("--spring.datasource.url=" + databaseUrl);
        args.add("--spring.datasource.username=postgres");
        args.add("--spring.datasource.password=");
        ServiceProcess service = ServiceProcess.start(instanceId, dir, args);
        started.add(service);
        return service;
    }

    @Test
    void twoInstancesShareJobsModelsAndDeletionsAndTakeOverEachOthersJobs() {
        String databaseUrl = EmbeddedPostgresSupport.newDatabaseUrl();
        ServiceProcess a = start("instance-a", databaseUrl);
        ServiceProcess b = start("instance-b", databaseUrl);
        a.awaitReady();
        b.awaitReady();

        // Several jobs submitted to A: A's worker takes the first at once, B's (polling) takes the next while A is
        // busy, and so on. Each job reports the instance that ran it.
        String datasetId = a.registerCsv("blobs", Workloads.blobsCsv());
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobIds.add(a.train(Workloads.trainRequest(datasetId, 6, 100 + i)));
        }
        Map<String, List<String>> modelsByInstance = new HashMap<>();
        for (String id : jobIds) {
            JsonNode job = a.awaitEnd(id, JOB_TIMEOUT);
            assertThat(job.get("status").stringValue()).as("%s", job).isEqualTo("SUCCEEDED");
            assertThat(b.job(id).get("modelId")).as("the same job seen from B").isEqualTo(job.get("modelId"));
            modelsByInstance.computeIfAbsent(job.get("instance").stringValue(), k -> new ArrayList<>())
                    .add(job.get("modelId").stringValue());
        }
        assertThat(modelsByInstance.keySet()).as("instances that ran the jobs").containsExactlyInAnyOrder("instance-a",
                "instance-b");

        // A model trained on A is served by B, and predicts there exactly what it predicts on A (and vice versa).
        String trainedOnA = modelsByInstance.get("instance-a").get(0);
        String trainedOnB = modelsByInstance.get("instance-b").get(0);
        String onA = Workloads.predict(a, trainedOnA, Workloads.FEATURES);
        assertThat(Workloads.predict(b, trainedOnA, Workloads.FEATURES)).isEqualTo(onA);
        assertThat(Workloads.predict(a, trainedOnB, Workloads.FEATURES))
                .isEqualTo(Workloads.predict(b, trainedOnB, Workloads.FEATURES));
        List<String> listedOnB = new ArrayList<>();
        b.getJson("/models").forEach(m -> listedOnB.add(m.get("id").stringValue()));
        assertThat(listedOnB).containsAll(modelsByInstance.get("instance-a")).containsAll(modelsByInstance.get("instance-b"));

        // Deleted on A (B has it cached, it just served it): B's registry forgets it at once, and B stops serving it
        // once its cached copy is revalidated.
        assertThat(a.delete("/models/" + trainedOnA).statusCode()).isEqualTo(204);
        assertThat(b.get("/models/" + trainedOnA).statusCode()).isEqualTo(404);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int predictStatus;
        do {
            predictStatus = b.postJson("/predict", Workloads.predictRequest(trainedOnA, Workloads.FEATURES)).statusCode();
        } while (predictStatus == 200 && System.nanoTime() < deadline);
        assertThat(predictStatus).as("predict on B with the model deleted on A").isEqualTo(404);
        assertThat(a.postJson("/predict", Workloads.predictRequest(trainedOnA, Workloads.FEATURES)).statusCode()).isEqualTo(404);

        // kill -9 of the instance running a job: the other one claims it when the lease ends and resumes it from
        // its checkpoint (committed for epoch 1 at least once epoch 3 shows, see CrashRecoveryTest).
        String longJob = b.train(Workloads.trainRequest(datasetId, 40, 200));
        JsonNode running = b.awaitJob(longJob, "at epoch 3", j -> j.get("epoch").intValue() >= 3, JOB_TIMEOUT);
        String owner = running.get("instance").stringValue();
        ServiceProcess victim = owner.equals("instance-a") ? a : b;
        ServiceProcess survivor = victim == a ? b : a;
        victim.kill();
        JsonNode takenOver = survivor.awaitEnd(longJob, JOB_TIMEOUT);
        assertThat(takenOver.get("status").stringValue()).as("%s", takenOver).isEqualTo("SUCCEEDED");
        assertThat(takenOver.get("instance").stringValue()).isEqualTo(survivor.name());
        assertThat(takenOver.get("attempts").intValue()).isEqualTo(2);
        assertThat(takenOver.get("iteration").longValue()).isEqualTo(40L * Workloads.ITERATIONS_PER_EPOCH);
        assertThat(survivor.log()).containsPattern("job " + longJob + " resumes at epoch [1-9][0-9]* ");
        long modelsOfLongJob = 0;
        for (JsonNode m : survivor.getJson("/models")) {
            if (!m.get("jobId").isNull() && longJob.equals(m.get("jobId").stringValue())) {
                modelsOfLongJob++;
            }
        }
        assertThat(modelsOfLongJob).as("models of the job taken over").isEqualTo(1);
    }
}
