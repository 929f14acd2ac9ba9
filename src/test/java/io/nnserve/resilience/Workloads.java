package io.nnserve.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import io.nnserve.support.ServiceProcess;

/** Data, requests and service settings shared by the process-level tests. */
final class Workloads {

    /** Rows of the dataset the tests register: 10% are held out, so 3,600 train in batches of 10 = 360 iterations per epoch. */
    static final int ROWS = 4000;
    static final int FEATURES = 16;
    static final int ITERATIONS_PER_EPOCH = 360;

    /**
     * Queue timings short enough for a test: an idle worker polls 5 times a second, leases end
     * {@code leaseDuration} after the last heartbeat (two per second), unfinished epochs' loss points are stored
     * twice a second. The engine's background warm-up is off: a few seconds of CPU per start that these tests,
     * about storage and queues, do not need.
     */
    static List<String> queueSettings(String leaseDuration) {
        return List.of("--nnserve.jobs.poll-interval=200ms", "--nnserve.jobs.heartbeat-interval=500ms",
                "--nnserve.jobs.lease-duration=" + leaseDuration, "--nnserve.jobs.flush-interval=500ms",
                "--nnserve.engine.warm-up=false");
    }

    private Workloads() {
    }

    /** 4 gaussian classes in 16 features (header row, label column last, class names c0..c3). */
    static String blobsCsv() {
        SplittableRandom random = new SplittableRandom(20_261_127L);
        StringBuilder csv = new StringBuilder(ROWS * FEATURES * 8);
        for (int f = 0; f < FEATURES; f++) {
            csv.append('f').append(f).append(',');
        }
        csv.append("label\n");
        for (int r = 0; r < ROWS; r++) {
            int c = r % 4;
            for (int f = 0; f < FEATURES; f++) {
                double centre = (f % 4 == c ? 1.5 : 0.0) - (f % 3 == c % 3 ? 0.7 : 0.0);
                csv.append(String.format(Locale.ROOT, "%.4f", centre + random.nextGaussian())).append(',');
            }
            csv.append('c').append(c).append('\n');
        }
        return csv.toString();
    }

    /** A training request on the registered dataset: {@value #ITERATIONS_PER_EPOCH} iterations per epoch. */
    static String trainRequest(String datasetId, int epochs, long seed) {
        return "{\"datasetId\": \"" + datasetId + "\", \"epochs\": " + epochs + ", \"batchSize\": 10, "
                + "\"hiddenSize\": 32, \"updateRule\": \"momentum\", \"learningRate\": 0.01, \"seed\": " + seed + "}";
    }

    /** A {@code /predict} request of 6 rows of {@code inputSize} fixed values, asking for scores and probabilities. */
    static String predictRequest(String modelId, int inputSize) {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            List<String> values = new ArrayList<>();
            for (int f = 0; f < inputSize; f++) {
                values.add(Double.toString(Math.sin(r * 7.0 + f) * 2.5 + 0.1 * r));
            }
            rows.add("[" + String.join(", ", values) + "]");
        }
        return "{\"modelId\": \"" + modelId + "\", \"output\": \"both\", \"inputs\": [" + String.join(", ", rows) + "]}";
    }

    /** The raw JSON text of a prediction: exact numbers, so equal texts mean bit-identical doubles. */
    static String predict(ServiceProcess service, String modelId, int inputSize) {
        var response = service.postJson("/predict", predictRequest(modelId, inputSize));
        if (response.statusCode() != 200) {
            throw new AssertionError("predict with " + modelId + " on " + service.name() + ": " + response.statusCode()
                    + " " + response.body());
        }
        return response.body();
    }
}
