package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A few thousand generated request bodies for {@code /train}, {@code /predict}, {@code /datasets} and
 * {@code /models/import}: valid documents mutated at random (values replaced by hostile ones, fields dropped or
 * invented, arrays made ragged, the text truncated or corrupted, NaN literals spliced in) and random JSON. The
 * generator is seeded ({@code -Dnnserve.fuzz.seed=...} replays a run) and a failure names the seed, the index and
 * the body. No answer may be a 5xx, and the service must still be ready and predict the same afterwards. Training
 * workers are off: accepted jobs only queue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nnserve.jobs.workers-enabled=false", "nnserve.limits.max-json-body-bytes=1000000"})
class GeneratedInputTest {

    static final long SEED = Long.getLong("nnserve.fuzz.seed", 20261127L);
    static final int PER_ENDPOINT = 750;

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    record Body(String path, String text) {
    }

    @Test
    void generatedBodiesNeverCauseAServerError() throws Exception {
        String predictBefore = predictIris();
        List<Body> bodies = generate(new SplittableRandom(SEED));
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            int index = i;
            sent.add(senders.submit(() -> {
                Body body = bodies.get(index);
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + body.path())).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.text())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    statuses.merge(body.path() + " " + response.statusCode(), 1, Integer::sum);
                    if (response.statusCode() >= 500) {
                        failures.add("seed " + SEED + " #" + index + " " + body.path() + " -> "
                                + response.statusCode() + " " + response.body() + "\n  body: "
                                + abbreviate(body.text()));
                    }
                } catch (Exception e) {
                    failures.add("seed " + SEED + " #" + index + " " + body.path() + " -> " + e + "\n  body: "
                            + abbreviate(body.text()));
                }
            }));
        }
        for (Future<?> f : sent) {
            f.get(300, TimeUnit.SECONDS);
        }
        senders.shutdown();
        System.out.println("generated input, seed " + SEED + ", " + bodies.size() + " bodies: " + new TreeMap<>(statuses));
        assertThat(failures).isEmpty();
        assertThat(bodies).hasSize(4 * PER_ENDPOINT);
        assertThat(statuses.keySet()).as("the generator reaches past the parser: some bodies are accepted")
                .anyMatch(k -> k.endsWith(" 200") || k.endsWith(" 201") || k.endsWith(" 202"));
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(predictIris()).isEqualTo(predictBefore);
    }

    private String predictIris() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/predict")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"modelId\": \"iris-example\", \"inputs\": [[5.1, 3.5, 1.4, 0.2]], \"output\": \"both\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "... (" + text.length() + " chars)";
    }

    // ---- the generator ---------------------------------------------------------------------------------------

    List<Body> generate(SplittableRandom random) {
        Map<String, String> valid = Map.of(
                "/train", "{\"datasetId\": \"iris\", \"epochs\": 1, \"hiddenSize\": 4, \"learningRate\": 0.01,"
                        + " \"batchSize\": 10, \"loss\": \"svm\", \"updateRule\": \"momentum\", \"momentum\": 0.5,"
                        + " \"validationSplit\": 0.2, \"preprocessing\": \"scale\", \"seed\": 3}",
                "/predict", "{\"modelId\": \"iris-example\", \"inputs\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]],"
                        + " \"output\": \"both\"}",
                "/datasets", "{\"name\": \"generated\", \"features\": [[0, 1], [1, 0], [1, 1], [0, 0]],"
                        + " \"labels\": [\"a\", \"b\", \"a\", \"b\"], \"classNames\": [\"a\", \"b\"]}",
                "/models/import", HostileInputTest.importDocument("none", null));
        List<Body> bodies = new ArrayList<>();
        for (String path : List.of("/train", "/predict", "/datasets", "/models/import")) {
            JsonNode base = json.readTree(valid.get(path));
            for (int i = 0; i < PER_ENDPOINT; i++) {
                bodies.add(new Body(path, body(random, base)));
            }
        }
        return bodies;
    }

    private String body(SplittableRandom random, JsonNode base) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return json.writeValueAsString(randomValue(random, 4));
        }
        JsonNode tree = base.deepCopy();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            tree = mutateTree(random, tree);
        }
        String text = json.writeValueAsString(tree);
        if (kind >= 7) {
            text = mutateText(random, text);
        }
        return text;
    }

    /** Replaces, drops or adds one node somewhere in the tree. */
    private JsonNode mutateTree(SplittableRandom random, JsonNode root) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.propertyNames());
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (!names.isEmpty()) {
                        object.remove(names.get(random.nextInt(names.size())));
                    }
                }
                case 1 -> object.set(randomName(random), randomValue(random, 2));
                default -> {
                    if (!names.isEmpty()) {
                        object.set(names.get(random.nextInt(names.size())), hostileValue(random));
                    }
                }
            }
        } else if (target instanceof ArrayNode array) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (!array.isEmpty()) {
                        array.remove(random.nextInt(array.size()));
                    }
                }
                case 1 -> array.add(array.isEmpty() ? hostileValue(random)
                        : array.get(random.nextInt(array.size())).deepCopy());
                default -> {
                    if (!array.isEmpty()) {
                        array.set(random.nextInt(array.size()), hostileValue(random));
                    }
                }
            }
        }
        return root;
    }

    private static void collectContainers(JsonNode node, List<JsonNode> into) {
        if (node.isContainer()) {
            into.add(node);
            node.values().forEach(child -> collectContainers(child, into));
        }
    }

    private static final String[] TOKENS = {"NaN", "Infinity", "-Infinity", "null", "true", "1e400", "-0", "01",
        "1.", ".5", "0x10", "\"\\u0000\"", "\"\\ud800\"", "[", "]", "{", "}", ",", ":", "\"", "99999999999999999999"};

    /** Corrupts the text: truncates it, splices in a token, or deletes or duplicates a piece. */
    private static String mutateText(SplittableRandom random, String text) {
        int at = random.nextInt(text.length() + 1);
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + TOKENS[random.nextInt(TOKENS.length)] + text.substring(at);
            case 2 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(8)));
            default -> text.substring(0, at) + text.substring(at / 2, at) + text.substring(at);
        };
    }

    private JsonNode hostileValue(SplittableRandom random) {
        return switch (random.nextInt(24)) {
            case 0 -> nodes.nullNode();
            case 1 -> nodes.booleanNode(random.nextBoolean());
            case 2 -> nodes.numberNode(0);
            case 3 -> nodes.numberNode(-1);
            case 4 -> nodes.numberNode(Double.MAX_VALUE);
            case 5 -> nodes.numberNode(-Double.MAX_VALUE);
            case 6 -> nodes.numberNode(Double.MIN_VALUE);
            case 7 -> nodes.numberNode(2147483648L);
            case 8 -> nodes.numberNode(Long.MIN_VALUE);
            case 9 -> nodes.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 10 -> nodes.numberNode(1.5);
            case 11 -> nodes.stringNode("");
            case 12 -> nodes.stringNode("NaN");
            case 13 -> nodes.stringNode("Infinity");
            case 14 -> nodes.stringNode("x".repeat(1 + random.nextInt(5000)));
            case 15 -> nodes.stringNode("../../etc/passwd");
            case 16 -> nodes.stringNode("\u0000\u202e\uffff");
            case 17 -> nodes.arrayNode();
            case 18 -> nodes.objectNode();
            case 19 -> nested(random.nextInt(200));
            case 20 -> bigArray(random);
            case 21 -> nodes.numberNode(random.nextInt(2000) - 1000);
            case 22 -> nodes.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            default -> randomValue(random, 3);
        };
    }

    private JsonNode nested(int depth) {
        JsonNode node = nodes.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = nodes.arrayNode().add(node);
        }
        return node;
    }

    private JsonNode bigArray(SplittableRandom random) {
        ArrayNode rows = nodes.arrayNode();
        int count = 1 + random.nextInt(300);
        int width = 1 + random.nextInt(8);
        for (int r = 0; r < count; r++) {
            ArrayNode row = rows.addArray();
            for (int c = 0; c < width; c++) {
                row.add(random.nextDouble() * 10);
            }
        }
        return rows;
    }

    private JsonNode randomValue(SplittableRandom random, int depth) {
        int choice = random.nextInt(depth <= 0 ? 4 : 6);
        return switch (choice) {
            case 0 -> nodes.numberNode(random.nextGaussian() * 100);
            case 1 -> nodes.stringNode(randomName(random));
            case 2 -> nodes.booleanNode(random.nextBoolean());
            case 3 -> nodes.nullNode();
            case 4 -> {
                ArrayNode array = nodes.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(randomValue(random, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = nodes.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(randomName(random), randomValue(random, depth - 1));
                }
                yield object;
            }
        };
    }

    private static final String[] NAMES = {"datasetId", "modelId", "inputs", "features", "labels", "classNames",
        "epochs", "learningRate", "hiddenSize", "W1", "b2", "preprocessing", "kind", "offset", "format", "version",
        "name", "output", "seed", "__proto__", "constructor", "", "$type", "@class"};

    private static String randomName(SplittableRandom random) {
        return random.nextInt(3) == 0 ? "field" + random.nextInt(100) : NAMES[random.nextInt(NAMES.length)];
    }
}
