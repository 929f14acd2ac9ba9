package io.nnserve.resilience;

import static io.nnserve.resilience.Workloads.ITERATIONS_PER_EPOCH;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nnserve.support.ServiceProcess;
import tools.jackson.databind.JsonNode;

/**
 * {@code kill -9} of a real service process, twice, and restarts on the same data directory (H2 in file mode):
 * <ol>
 *   <li>killed in the middle of a training job, after at least one checkpoint: on restart the job resumes from its
 *   checkpoint, keeps the loss history of the first attempt and succeeds;</li>
 *   <li>killed a few milliseconds after a job committed its model, while another job trains: on restart every model
 *   that existed predicts bit-identically, no job is lost and every job has exactly one model.</li>
 * </ol>
 */
class CrashRecoveryTest {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    private final List<ServiceProcess> started = new ArrayList<>();

    private ServiceProcess start(String name) {
        // Leases far longer than the test: a job resumes after a restart only because the restarted instance
        // recognises the jobs it held (same data directory, same instance id) and queues them at once.
        List<String> args = new ArrayList<>(Workloads.queueSettings("10m"));
        args.add("--nnserve.storage.data-dir=" + dir.resolve("data"));
        // a checkpoint every epoch: the test resumes from one taken a few epochs in
        args.add("--nnserve.jobs.checkpoint-interval=0s");
        ServiceProcess service = ServiceProcess.start(name, dir, args);
        started.add(service);
        return service.awaitReady();
    }

    @AfterEach
    void stopAll() {
        started.forEach(ServiceProcess::close);
    }

    @Test
    void nothingIsLostWhenTheProcessIsKilledMidTrainingOrRightAfterAModelWasSaved() {
        // --- 1. kill -9 in the middle of a job
        ServiceProcess first = start("first");
        String datasetId = first.registerCsv("blobs", Workloads.blobsCsv());
        JsonNode dataset = first.getJson("/datasets/" + datasetId);
        String interrupted = first.train(Workloads.trainRequest(datasetId, 40, 11));
        // An epoch shows here as soon as the engine reports it; its checkpoint is written on the job's writer thread
        // while the next epoch trains, and the end of that next epoch waits for the write. So once epoch 3 shows,
        // the checkpoint of epoch 1 at least is committed.
        JsonNode before = first.awaitJob(interrupted, "at epoch 3", j -> j.get("epoch").intValue() >= 3, JOB_TIMEOUT);
        double[] lossBefore = lossOf(first, interrupted);
        first.kill();
        assertThat(before.get("attempts").intValue()).isEqualTo(1);
        assertThat(lossBefore.length).as("loss points before the kill").isGreaterThanOrEqualTo(3 * ITERATIONS_PER_EPOCH);

        ServiceProcess second = start("second");
        assertThat(second.getJson("/datasets/" + datasetId)).as("the registered dataset").isEqualTo(dataset);
        JsonNode resumed = second.awaitEnd(interrupted, JOB_TIMEOUT);
        assertThat(resumed.get("status").stringValue()).as("%s", resumed).isEqualTo("SUCCEEDED");
        assertThat(resumed.get("attempts").intValue()).as("the killed attempt and the resumed one").isEqualTo(2);
        assertThat(resumed.get("iteration").longValue()).isEqualTo(40L * ITERATIONS_PER_EPOCH);
        assertThat(resumed.get("epoch").intValue()).isEqualTo(40);
        // Resumed from the checkpoint the first process wrote, not from zero (the new process says where it starts).
        Matcher resumedAt = Pattern.compile("job " + interrupted + " resumes at epoch (\\d+) \\(iteration (\\d+)\\)")
                .matcher(second.log());
        assertThat(resumedAt.find()).as("the second process resumed the job from a checkpoint\n%s", second.logTail()).isTrue();
        int checkpointEpoch = Integer.parseInt(resumedAt.group(1));
        assertThat(checkpointEpoch).as("checkpoint epoch").isBetween(1, 40);
        long checkpointIteration = Long.parseLong(resumedAt.group(2));
        assertThat(checkpointIteration).isEqualTo((long) checkpointEpoch * ITERATIONS_PER_EPOCH);
        // ... and the new process trained only the iterations after that checkpoint (its own counter of iterations).
        assertThat(iterationsTrainedBy(second)).isEqualTo(40L * ITERATIONS_PER_EPOCH - checkpointIteration);
        // The history keeps the first attempt's iterations, and the resumed run retraced them bit for bit.
        JsonNode loss = second.getJson("/jobs/" + interrupted + "/loss");
        double[] lossAfter = doubles(loss.get("loss"));
        assertThat(lossAfter).hasSize(40 * ITERATIONS_PER_EPOCH);
        for (int i = 0; i < lossBefore.length; i++) {
            assertThat(lossAfter[i]).as("loss of iteration %d", i).isEqualTo(lossBefore[i]);
        }
        List<Integer> epochNumbers = new ArrayList<>();
        loss.get("epochs").forEach(e -> epochNumbers.add(e.get("epoch").intValue()));
        assertThat(epochNumbers).as("each epoch once").containsExactlyElementsOf(range(1, 40));

        // --- 2. kill -9 right after a model was committed, while another job trains
        Map<String, String> predictions = predictEveryModel(second);
        String justSaved = second.train(Workloads.trainRequest(datasetId, 6, 12));
        String running = second.train(Workloads.trainRequest(datasetId, 30, 13));
        JsonNode saved = second.awaitJob(justSaved, "SUCCEEDED", j -> j.get("status").stringValue().equals("SUCCEEDED"),
                JOB_TIMEOUT);
        String savedModel = saved.get("modelId").stringValue();
        predictions.put(savedModel, Workloads.predict(second, savedModel, Workloads.FEATURES));
        second.kill();

        ServiceProcess third = start("third");
        for (Map.Entry<String, String> p : predictions.entrySet()) {
            int inputSize = third.getJson("/models/" + p.getKey()).get("inputSize").intValue();
            assertThat(Workloads.predict(third, p.getKey(), inputSize)).as("predictions of model %s", p.getKey())
                    .isEqualTo(p.getValue());
        }
        JsonNode last = third.awaitEnd(running, JOB_TIMEOUT);
        assertThat(last.get("status").stringValue()).as("%s", last).isEqualTo("SUCCEEDED");

        // Every job is there, ended SUCCEEDED with exactly one model, and no other model appeared.
        Map<String, JsonNode> jobs = new HashMap<>();
        third.getJson("/jobs?size=100").get("jobs").forEach(j -> jobs.put(j.get("id").stringValue(), j));
        assertThat(jobs.keySet()).containsExactlyInAnyOrder(interrupted, justSaved, running);
        Map<String, List<String>> modelsByJob = new HashMap<>();
        List<String> modelIds = new ArrayList<>();
        third.getJson("/models").forEach(m -> {
            modelIds.add(m.get("id").stringValue());
            if (!m.get("jobId").isNull()) {
                modelsByJob.computeIfAbsent(m.get("jobId").stringValue(), k -> new ArrayList<>()).add(m.get("id").stringValue());
            }
        });
        for (JsonNode job : jobs.values()) {
            String id = job.get("id").stringValue();
            assertThat(job.get("status").stringValue()).as("status of job %s", id).isEqualTo("SUCCEEDED");
            assertThat(modelsByJob.get(id)).as("models of job %s", id).containsExactly(job.get("modelId").stringValue());
        }
        List<String> expectedModels = new ArrayList<>(predictions.keySet());
        expectedModels.add(last.get("modelId").stringValue());
        assertThat(modelIds).containsExactlyInAnyOrderElementsOf(expectedModels);
    }

    /** The raw prediction text of every stored model (the built-in example and the trained ones). */
    private static Map<String, String> predictEveryModel(ServiceProcess service) {
        Map<String, String> predictions = new LinkedHashMap<>();
        service.getJson("/models").forEach(m -> predictions.put(m.get("id").stringValue(),
                Workloads.predict(service, m.get("id").stringValue(), m.get("inputSize").intValue())));
        assertThat(predictions).hasSizeGreaterThanOrEqualTo(2);
        return predictions;
    }

    /** {@code nnserve_training_iterations_total} of the instance's Prometheus metrics. */
    private static long iterationsTrainedBy(ServiceProcess service) {
        var response = service.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        Matcher counter = Pattern.compile("(?m)^nnserve_training_iterations_total(?:\\{[^}]*})? ([0-9.eE+]+)$")
                .matcher(response.body());
        assertThat(counter.find()).as("iteration counter in\n%s", response.body()).isTrue();
        return (long) Double.parseDouble(counter.group(1));
    }

    private static double[] lossOf(ServiceProcess service, String jobId) {
        return doubles(service.getJson("/jobs/" + jobId + "/loss").get("loss"));
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> values = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            values.add(i);
        }
        return values;
    }
}
