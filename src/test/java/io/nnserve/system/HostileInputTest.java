package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 5's table of hostile and broken input, over real HTTP against the whole service: each row is one request
 * and the status it must get. Every 4xx must be problem+json with a detail that says what to fix (or, on the
 * inference-protocol paths, the protocol's {@code {"error": ...}}), and after every row the stored state must be
 * unchanged: the number of datasets, jobs and models, and the predictions of an existing model.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nnserve.limits.max-json-body-bytes=200000", "nnserve.limits.max-upload-bytes=300000"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    private static final String JSON = "application/json";
    private static final String CSV = "text/csv";
    private static final String PREDICT_INPUTS = "[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]";

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private State before;
    private String predictionsBefore;

    /** What must not change. */
    record State(int datasets, long jobs, int models) {
    }

    /** One hostile request: method, path, content type, body, and what must come back. */
    record Case(String name, String method, String path, String contentType, byte[] body, int status,
            String mentions) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case json(String name, String method, String path, String body, int status, String mentions) {
        return new Case(name, method, path, JSON, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                status, mentions);
    }

    private static Case raw(String name, String method, String path, String type, byte[] body, int status,
            String mentions) {
        return new Case(name, method, path, type, body, status, mentions);
    }

    @BeforeAll
    void snapshot() throws Exception {
        before = state();
        predictionsBefore = predictIris();
        assertThat(before.datasets()).isGreaterThanOrEqualTo(2);
        assertThat(before.models()).isGreaterThanOrEqualTo(1);
    }

    @AfterAll
    void theExistingModelStillPredictsTheSame() throws Exception {
        assertThat(predictIris()).isEqualTo(predictionsBefore);
        assertThat(send("GET", "/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
    }

    private String predictIris() throws Exception {
        HttpResponse<String> response = send("POST", "/predict", JSON, ("{\"modelId\": \"iris-example\", \"inputs\": "
                + PREDICT_INPUTS + ", \"output\": \"both\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private State state() throws Exception {
        JsonNode datasets = json.readTree(send("GET", "/datasets", null, null).body());
        JsonNode jobs = json.readTree(send("GET", "/jobs", null, null).body());
        JsonNode models = json.readTree(send("GET", "/models?limit=1000", null, null).body());
        return new State(datasets.size(), jobs.get("total").asLong(), models.size());
    }

    private HttpResponse<String> send(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String hugeNumber = "1" + "0".repeat(2_000);

        // Malformed, truncated, deeply nested or huge-number JSON, on every JSON endpoint.
        for (String path : List.of("/train", "/predict", "/datasets", "/models/import")) {
            cases.add(json("malformed JSON " + path, "POST", path, "{\"a\": 1,}", 400, ""));
            cases.add(json("truncated JSON " + path, "POST", path, "{\"datasetId\": \"dig", 400, ""));
            cases.add(json("10,000 levels deep " + path, "POST", path, deep, 400, ""));
            cases.add(json("nested 10,000 levels in a field " + path, "POST", path, "{\"inputs\": " + deep + "}",
                    400, ""));
            cases.add(json("huge number " + path, "POST", path, "{\"epochs\": " + hugeNumber + "}", 400, ""));
            // /train and /datasets read their bodies themselves and say so in their own words
            String nothing = path.equals("/predict") || path.equals("/models/import") ? "empty or JSON null" : "";
            cases.add(json("empty body " + path, "POST", path, "", 400, nothing));
            cases.add(json("JSON null " + path, "POST", path, "null", 400, nothing));
            cases.add(json("a JSON string " + path, "POST", path, "\"digits\"", 400, ""));
            cases.add(raw("wrong media type " + path, "POST", path, "text/plain", "x".getBytes(), 415, ""));
        }
        cases.add(raw("XML to /train", "POST", "/train", "application/xml", "<a/>".getBytes(), 415, ""));
        cases.add(json("wrong method PUT /train", "PUT", "/train", "{}", 405, ""));
        cases.add(json("wrong method DELETE /predict", "DELETE", "/predict", null, 405, ""));
        cases.add(json("wrong method POST /models/iris-example", "POST", "/models/iris-example", "{}", 405, ""));
        cases.add(json("wrong method PUT /datasets/iris", "PUT", "/datasets/iris", "{}", 405, ""));

        // Unknown fields are refused by name.
        cases.add(json("unknown field in /train", "POST", "/train", "{\"datasetId\": \"digits\", \"epochz\": 3}",
                400, "epochz"));
        cases.add(json("unknown field in /predict", "POST", "/predict",
                "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4]], \"outputs\": \"scores\"}", 400,
                "outputs"));
        cases.add(json("unknown field in /datasets", "POST", "/datasets",
                "{\"name\": \"x\", \"features\": [[0], [1]], \"labels\": [0, 1], \"label\": [0, 1]}", 400, "label"));

        // NaN, Infinity, null and strings where numbers belong: features, labels, hyperparameters, predict inputs.
        for (String value : List.of("NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "null", "\"1.5\"",
                "1e400", "true", "[1]", "{}")) {
            cases.add(json("feature " + value, "POST", "/datasets",
                    "{\"name\": \"x\", \"features\": [[0, 1], [1, " + value + "]], \"labels\": [0, 1]}", 400, ""));
            cases.add(json("predict input " + value, "POST", "/predict",
                    "{\"modelId\": \"iris-example\", \"inputs\": [[5.1, 3.5, " + value + ", 0.2]]}", 400, ""));
            cases.add(json("learningRate " + value, "POST", "/train",
                    "{\"datasetId\": \"digits\", \"learningRate\": " + (value.equals("null") ? "\"\"" : value) + "}",
                    400, "learningRate"));
            cases.add(json("import weight " + value, "POST", "/models/import", importDocument("b2", "[0.1, " + value
                    + ", 0.3]"), 400, ""));
        }
        for (String label : List.of("null", "1.5", "-1", "2", "NaN", "1e400", "true")) {
            cases.add(json("label " + label, "POST", "/datasets",
                    "{\"name\": \"x\", \"features\": [[0], [1], [2]], \"labels\": [0, 1, " + label
                            + "], \"classNames\": [\"a\", \"b\"]}", 400, ""));
        }
        cases.add(json("duplicate field", "POST", "/train", "{\"datasetId\": \"digits\", \"datasetId\": \"iris\"}",
                400, "datasetId"));
        cases.add(json("epochs as a string", "POST", "/train", "{\"datasetId\": \"digits\", \"epochs\": \"5\"}", 400,
                "epochs"));
        cases.add(json("missing datasetId", "POST", "/train", "{\"epochs\": 5}", 400, "datasetId"));
        cases.add(json("null datasetId", "POST", "/train", "{\"datasetId\": null}", 400, "datasetId"));
        cases.add(json("missing inputs", "POST", "/predict", "{\"modelId\": \"iris-example\"}", 400, "inputs"));

        // Datasets that cannot be trained on.
        cases.add(json("ragged rows", "POST", "/datasets",
                "{\"name\": \"x\", \"features\": [[0, 1], [1]], \"labels\": [0, 1]}", 400, ""));
        cases.add(json("one class only", "POST", "/datasets",
                "{\"name\": \"x\", \"features\": [[0], [1]], \"labels\": [0, 0]}", 400, ""));
        cases.add(json("empty dataset", "POST", "/datasets", "{\"name\": \"x\", \"features\": [], \"labels\": []}",
                400, ""));
        cases.add(json("labels shorter than features", "POST", "/datasets",
                "{\"name\": \"x\", \"features\": [[0], [1], [2]], \"labels\": [0, 1]}", 400, ""));
        cases.add(json("duplicate class names", "POST", "/datasets",
                "{\"name\": \"x\", \"features\": [[0], [1]], \"labels\": [0, 1], \"classNames\": [\"a\", \"a\"]}",
                400, ""));
        cases.add(json("blank class name", "POST", "/datasets",
                "{\"name\": \"x\", \"features\": [[0], [1]], \"labels\": [0, 1], \"classNames\": [\"a\", \" \"]}",
                400, ""));
        cases.add(json("absurdly long class name", "POST", "/datasets",
                "{\"name\": \"x\", \"features\": [[0], [1]], \"labels\": [0, 1], \"classNames\": [\"a\", \""
                        + "b".repeat(100_000) + "\"]}", 400, ""));
        cases.add(raw("CSV without a header", "POST", "/datasets", CSV, "0.5,1.5,0\n1.5,2.5,1\n".getBytes(), 400,
                ""));
        cases.add(raw("CSV with bad quoting", "POST", "/datasets", CSV, "a,b,label\n\"1,2,0\n3,4,1\n".getBytes(),
                400, ""));
        cases.add(raw("CSV header only", "POST", "/datasets", CSV, "a,b,label\n".getBytes(), 400, ""));
        cases.add(raw("CSV non-numeric feature", "POST", "/datasets", CSV, "a,b,label\n1,x,0\n2,3,1\n".getBytes(),
                400, ""));
        cases.add(raw("CSV ragged row", "POST", "/datasets", CSV, "a,b,label\n1,2,0\n2,1\n3,4,1\n".getBytes(), 400,
                ""));
        cases.add(raw("CSV label column missing", "POST", "/datasets?label=nope", CSV,
                "a,b,label\n1,2,0\n3,4,1\n".getBytes(), 400, "nope"));

        // IDX files that lie, and gzip that is broken or expands past the upload limit.
        byte[] images = idxImages(4, 2, 2);
        byte[] labels = idxLabels(0, 1, 0, 1);
        cases.add(multipart("IDX wrong magic", images(0x0803_0000, images), labels, 400));
        cases.add(multipart("IDX dimensions larger than the bytes", Arrays.copyOf(images, images.length - 3), labels,
                400));
        cases.add(multipart("IDX images and labels disagree", images, idxLabels(0, 1, 0), 400));
        cases.add(multipart("IDX labels wrong magic", images, images(0x0801_0001, labels), 400));
        byte[] gzipped = gzip(images);
        cases.add(multipart("IDX truncated gzip", Arrays.copyOf(gzipped, gzipped.length / 2), gzip(labels), 400));
        cases.add(multipart("gzip bomb", gzip(idxImagesHeaderThenZeros(1000, 28, 28)), gzip(idxLabelsZeros(1000)),
                413));
        cases.add(raw("CSV gzip bomb", "POST", "/datasets", "text/csv", gzip(csvBomb()), 413, "max-upload-bytes"));

        // Hyperparameters out of range.
        for (String field : List.of("\"learningRate\": 0", "\"learningRate\": -0.1", "\"learningRate\": 1e300",
                "\"batchSize\": 0", "\"batchSize\": 100000", "\"epochs\": 0", "\"epochs\": 2147483648",
                "\"epochs\": -1", "\"hiddenSize\": 1000000000", "\"hiddenSize\": 0", "\"reg\": -0.001",
                "\"momentum\": 1.0", "\"momentum\": -0.5", "\"validationSplit\": 0", "\"validationSplit\": 1",
                "\"validationSplit\": 1.5", "\"loss\": \"hinge\"", "\"updateRule\": \"lbfgs\"",
                "\"preprocessing\": \"whiten\"", "\"lrDecay\": 0", "\"svmMargin\": -1",
                "\"earlyStoppingPatience\": -1", "\"datasetId\": \"no-such-dataset\"",
                "\"initialModelId\": \"no-such-model\"", "\"validationDatasetId\": \"no-such-dataset\"")) {
            String name = field.substring(1, field.indexOf('"', 1));
            String body = name.equals("datasetId") ? "{" + field + "}" : "{\"datasetId\": \"digits\", " + field + "}";
            cases.add(json("train " + field, "POST", "/train", body, 400, name));
        }

        // Ids that are not ids; nothing reads a server path or a URL.
        for (String path : List.of("/models/%2e%2e", "/models/" + "a".repeat(300), "/models/a$b", "/datasets/%2E%2E",
                "/models/a;b=c", "/jobs/..", "/datasets/.")) {
            cases.add(json("GET " + path.substring(0, Math.min(path.length(), 40)), "GET", path, null, 404, ""));
        }
        // An encoded slash, backslash or NUL never reaches the application: Tomcat refuses the request line (still
        // as problem+json).
        for (String path : List.of("/models/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/datasets/..%2Fmodels", "/jobs/%00",
                "/models/iris-example%2Fexport", "/models/%5c..%5cetc")) {
            cases.add(json("GET " + path.substring(0, Math.min(path.length(), 40)), "GET", path, null, 400, ""));
        }
        cases.add(json("DELETE an id that is not an id", "DELETE", "/datasets/%2e%2e", null, 404, ""));
        cases.add(json("predict with a path as the model id", "POST", "/predict",
                "{\"modelId\": \"../../etc/passwd\", \"inputs\": [[1, 2, 3, 4]]}", 404, ""));
        cases.add(json("predict with a URL as the model id", "POST", "/predict",
                "{\"modelId\": \"http://127.0.0.1:9/m\", \"inputs\": [[1, 2, 3, 4]]}", 404, ""));
        cases.add(json("train on a path", "POST", "/train", "{\"datasetId\": \"/etc/passwd\"}", 400, "datasetId"));
        cases.add(json("train on a URL", "POST", "/train", "{\"datasetId\": \"file:///etc/passwd\"}", 400,
                "datasetId"));

        // Model imports that are inconsistent.
        cases.add(json("import wrong format version", "POST", "/models/import",
                importDocument("version", "2"), 400, "version"));
        cases.add(json("import wrong format name", "POST", "/models/import",
                importDocument("format", "\"pickle\""), 400, "format"));
        cases.add(json("import W1 shape", "POST", "/models/import",
                importDocument("W1", "[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]"), 400, "W1"));
        cases.add(json("import b1 length", "POST", "/models/import", importDocument("b1", "[0.1]"), 400, "b1"));
        cases.add(json("import class names count", "POST", "/models/import",
                importDocument("classNames", "[\"a\", \"b\"]"), 400, "classNames"));
        cases.add(json("import zero scale", "POST", "/models/import", importDocument("preprocessing",
                "{\"kind\": \"standardize\", \"offset\": [0, 0], \"scale\": [1, 0]}"), 400, "scale"));

        // Predictions that do not fit the model.
        cases.add(json("wrong feature count", "POST", "/predict",
                "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3]]}", 400, "4"));
        cases.add(json("ragged predict rows", "POST", "/predict",
                "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4], [1, 2, 3]]}", 400, ""));
        cases.add(json("empty predict inputs", "POST", "/predict", "{\"modelId\": \"iris-example\", \"inputs\": []}",
                400, ""));
        cases.add(json("unknown output", "POST", "/predict",
                "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4]], \"output\": \"logits\"}", 400, ""));
        cases.add(json("unknown model", "POST", "/predict", "{\"modelId\": \"nope\", \"inputs\": [[1, 2, 3, 4]]}",
                404, "nope"));
        cases.add(json("v2 infer NaN", "POST", "/v2/models/iris-example/infer", "{\"inputs\": [{\"name\": \"input\","
                + " \"shape\": [1, 4], \"datatype\": \"FP64\", \"data\": [1, 2, NaN, 4]}]}", 400, ""));
        cases.add(json("v2 infer wrong shape", "POST", "/v2/models/iris-example/infer", "{\"inputs\": [{\"name\":"
                + " \"input\", \"shape\": [1, 3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}]}", 400, ""));
        cases.add(json("v1 predict string", "POST", "/v1/models/iris-example:predict",
                "{\"instances\": [[1, 2, \"x\", 4]]}", 400, ""));

        // Bodies over the limits.
        cases.add(json("JSON body over max-json-body-bytes", "POST", "/predict",
                "{\"modelId\": \"iris-example\", \"inputs\": [" + "[1, 2, 3, 4],".repeat(20_000) + "[1, 2, 3, 4]]}",
                413, "max-json-body-bytes"));
        cases.add(raw("CSV over max-upload-bytes", "POST", "/datasets", CSV, csvOf(60_000), 413, "max-upload-bytes"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileInputIsRefusedAndChangesNothing(Case c) throws Exception {
        HttpResponse<String> response = send(c.method(), c.path(), c.contentType(), c.body());
        assertThat(response.statusCode()).as(c.name() + ": " + response.body()).isEqualTo(c.status());
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (c.path().startsWith("/v1/") || c.path().startsWith("/v2/")) {
            assertThat(type).startsWith("application/json");
            assertThat(json.readTree(response.body()).get("error").asString()).isNotBlank();
        } else {
            assertThat(type).as(c.name()).startsWith("application/problem+json");
            JsonNode problem = json.readTree(response.body());
            assertThat(problem.get("status").asInt()).isEqualTo(c.status());
            assertThat(problem.get("title").asString()).isNotBlank();
            String said = problem.get("detail").asString() + " " + problem.path("errors");
            assertThat(said).as(c.name()).isNotBlank().contains(c.mentions());
        }
        assertThat(response.body()).doesNotContain("Exception", "io.nnserve.", "java.lang", "\tat ", "SELECT ",
                "/tmp/", "/work/");
        assertThat(state()).as("stored state after " + c.name()).isEqualTo(before);
    }

    private static Case multipart(String name, byte[] images, byte[] labels, int status) {
        String boundary = "hostileBoundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "images", "images.idx", images);
        part(body, boundary, "labels", "labels.idx", labels);
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return new Case(name, "POST", "/datasets", "multipart/form-data; boundary=" + boundary, body.toByteArray(),
                status, "");
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String file, byte[] bytes) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + file + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(bytes);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x0803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put((byte) (i * 37));
        }
        return b.array();
    }

    static byte[] idxLabels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(0x0801).putInt(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    /** A header claiming {@code count} images, then all their (zero) pixels: compresses to almost nothing. */
    private static byte[] idxImagesHeaderThenZeros(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x0803).putInt(count).putInt(rows).putInt(cols);
        return b.array();
    }

    private static byte[] idxLabelsZeros(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(0x0801).putInt(count);
        return b.array();
    }

    /** A few MB of one repeated CSV row: a few KB gzipped, far over the 300 KB upload limit once expanded. */
    private static byte[] csvBomb() {
        return csvOf(300_000);
    }

    private static byte[] csvOf(int rows) {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i % 2).append(",1,").append(i % 2).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] images(int magic, byte[] idx) {
        byte[] copy = idx.clone();
        ByteBuffer.wrap(copy).putInt(0, magic);
        return copy;
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A valid 2-2-3 model document with one field replaced by {@code value} (raw JSON). */
    static String importDocument(String field, String value) {
        String[][] fields = {
            {"format", "\"nnserve-model\""}, {"version", "1"}, {"inputSize", "2"}, {"hiddenSize", "2"},
            {"numClasses", "3"}, {"classNames", "[\"a\", \"b\", \"c\"]"}, {"loss", "\"softmax\""},
            {"preprocessing", "{\"kind\": \"none\", \"offset\": [0, 0], \"scale\": [1, 1]}"},
            {"W1", "[[0.1, -0.2], [0.3, 0.4]]"}, {"b1", "[0.01, 0.02]"},
            {"W2", "[[0.5, -0.6, 0.7], [0.8, 0.9, -1.0]]"}, {"b2", "[0.1, 0.2, 0.3]"}};
        StringBuilder doc = new StringBuilder("{");
        for (String[] f : fields) {
            if (doc.length() > 1) {
                doc.append(", ");
            }
            doc.append('"').append(f[0]).append("\": ").append(f[0].equals(field) ? value : f[1]);
        }
        return doc.append('}').toString();
    }

    @Test
    void aDivergingRunFailsInItsFirstEpochWithAnActionableMessageAndLeavesNoModel() throws Exception {
        HttpResponse<String> submitted = send("POST", "/train", JSON, ("{\"datasetId\": \"digits\", \"learningRate\":"
                + " 1e6, \"epochs\": 5, \"seed\": 7}").getBytes(StandardCharsets.UTF_8));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = json.readTree(submitted.body()).get("id").asString();
        before = new State(before.datasets(), before.jobs() + 1, before.models());

        JsonNode job = json.readTree(send("GET", "/jobs/" + id, null, null).body());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Set.of("FAILED", "SUCCEEDED", "CANCELLED").contains(job.get("status").asString())
                && System.nanoTime() < deadline) {
            // Before it ends, the job has no model to predict with.
            assertThat(send("POST", "/predict", JSON, ("{\"modelId\": \"" + id + "\", \"inputs\": [[1]]}")
                    .getBytes(StandardCharsets.UTF_8)).statusCode()).isIn(404, 409);
            Thread.sleep(100);
            job = json.readTree(send("GET", "/jobs/" + id, null, null).body());
        }
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.get("iteration").asLong()).as("failed within its first epoch: " + job)
                .isLessThanOrEqualTo(job.get("iterations").asLong() / job.get("epochs").asLong());
        assertThat(job.get("error").asString()).containsIgnoringCase("learning rate");
        assertThat(job.get("modelId").isNull()).isTrue();
        HttpResponse<String> predict = send("POST", "/predict", JSON, ("{\"modelId\": \"" + id
                + "\", \"inputs\": [[1]]}").getBytes(StandardCharsets.UTF_8));
        assertThat(predict.statusCode()).isIn(404, 409);
        assertThat(predict.body()).doesNotContain("NaN");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void theValidImportDocumentOfThisSuiteIsAccepted() throws Exception {
        // Guards the table: the import rows above fail for the one field they break, not for the rest.
        HttpResponse<String> response = send("POST", "/models/import", JSON,
                importDocument("none", null).getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String id = json.readTree(response.body()).get("id").asString();
        assertThat(send("DELETE", "/models/" + id, null, null).statusCode()).isEqualTo(204);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void csvWithByteOrderMarkAndCrLfIsReadNotRefused() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "x1,x2,label\r\n0,0,no\r\n0,1,yes\r\n1,0,yes\r\n1,1,no\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, body, 0, bom.length);
        System.arraycopy(text, 0, body, bom.length, text.length);
        HttpResponse<String> response = send("POST", "/datasets?name=bom-crlf", CSV, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode summary = json.readTree(response.body());
        assertThat(summary.get("rows").asInt()).isEqualTo(4);
        assertThat(summary.get("features").asInt()).isEqualTo(2);
        assertThat(summary.get("classNames").toString()).isEqualTo("[\"no\",\"yes\"]");
        assertThat(send("DELETE", "/datasets/" + summary.get("id").asString(), null, null).statusCode())
                .isEqualTo(204);
        assertThat(state()).isEqualTo(before);
    }
}
