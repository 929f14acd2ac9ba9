package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.nnserve.nn.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Over real HTTP: submit, follow the job's Server-Sent Events to the end, read the loss, cancel a long job. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobEndToEndTest {

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Event(String name, String id, JsonNode data) {
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String largeId;

    /** Registers the CSV dataset the jobs train on, through the dataset feature's endpoint, once per context. */
    @BeforeEach
    void registerDataset() throws Exception {
        if (largeId == null) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/datasets?name=large"))
                    .header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofString(FakeDatasets.csv(FakeDatasets.blobs(20_000, 32, 4, 2))))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(201);
            JsonNode summary = json.readTree(response.body());
            assertThat(summary.get("rows").intValue()).isEqualTo(20_000);
            largeId = summary.get("id").stringValue();
        }
    }

    JsonNode submit(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/train", body.replace("\"large\"", "\"" + largeId + "\""));
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode job = json.readTree(response.body());
        assertThat(response.headers().firstValue("Location")).contains("/jobs/" + job.get("id").stringValue());
        return job;
    }

    /** Reads the stream until the server ends it (after the final status event). */
    List<Event> follow(String path) throws Exception {
        return follow(path, null);
    }

    List<Event> follow(String path, String lastEventId) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(2));
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpRequest request = builder.build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        String name = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (name != null) {
                        events.add(new Event(name, id, json.readTree(data.toString())));
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
            }
        }
        return events;
    }

    @Test
    void followAJobLiveThenReadItsLoss() throws Exception {
        JsonNode job = submit("{\"datasetId\": \"large\", \"hiddenSize\": 32, \"epochs\": 5, \"seed\": 11}");
        String id = job.get("id").stringValue();
        long iterations = job.get("iterations").longValue();
        assertThat(iterations).isEqualTo(5 * 180);

        List<Event> events = follow("/jobs/" + id + "/events");
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("status");
        assertThat(last.data().get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(last.data().get("modelId").isString()).isTrue();

        // Loss events are contiguous: each starts where the previous ended, and the event id is the next iteration.
        // Each epoch comes after the loss event that covers its last iteration, so that a client resuming from the
        // last id it saw has seen exactly the epochs that end by it.
        List<Double> streamed = new ArrayList<>();
        for (Event e : events) {
            if (e.name().equals("loss")) {
                assertThat(e.data().get("since").longValue()).isEqualTo(streamed.size());
                e.data().get("loss").forEach(v -> streamed.add(v.doubleValue()));
                assertThat(e.id()).isEqualTo(Long.toString(streamed.size()));
            } else if (e.name().equals("epoch")) {
                assertThat(streamed.size()).as("loss points sent before epoch %s", e.data().get("epoch"))
                        .isGreaterThanOrEqualTo(e.data().get("epoch").intValue() * 180);
            }
        }
        assertThat(streamed).hasSize((int) iterations);
        assertThat(events.stream().filter(e -> e.name().equals("epoch")).map(e -> e.data().get("epoch").intValue()))
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(events.stream().filter(e -> e.name().equals("progress"))).isNotEmpty();

        JsonNode loss = json.readTree(send("GET", "/jobs/" + id + "/loss", null).body());
        assertThat(loss.get("loss").size()).isEqualTo(iterations);
        for (int k = 0; k < iterations; k++) {
            assertThat(loss.get("loss").get(k).doubleValue()).isEqualTo(streamed.get(k));
        }
        JsonNode tail = json.readTree(send("GET", "/jobs/" + id + "/loss?since=" + (iterations - 10), null).body());
        assertThat(tail.get("loss").size()).isEqualTo(10);
        assertThat(tail.get("loss").get(9).doubleValue()).isEqualTo(streamed.get((int) iterations - 1));

        // A late subscriber receives everything it missed, then the final status; Last-Event-ID skips what it saw.
        List<Event> late = follow("/jobs/" + id + "/events");
        assertThat(late.stream().filter(e -> e.name().equals("loss")).mapToInt(e -> e.data().get("loss").size()).sum())
                .isEqualTo((int) iterations);
        assertThat(late.get(late.size() - 1).name()).isEqualTo("status");
        List<Event> resumed = follow("/jobs/" + id + "/events?since=" + (iterations - 3));
        assertThat(resumed.stream().filter(e -> e.name().equals("loss")).mapToInt(e -> e.data().get("loss").size()).sum())
                .isEqualTo(3);
        // ... and the epochs that ended before it: only the last epoch ends after iteration 897
        assertThat(resumed.stream().filter(e -> e.name().equals("epoch")).map(e -> e.data().get("epoch").intValue()))
                .containsExactly(5);
        // Last-Event-ID resumes as since does; an id this stream cannot have sent (negative, not a number) is ignored
        assertThat(follow("/jobs/" + id + "/events", Long.toString(iterations - 3)).stream()
                .filter(e -> e.name().equals("loss")).mapToInt(e -> e.data().get("loss").size()).sum()).isEqualTo(3);
        for (String foreign : List.of("-5", "abc")) {
            assertThat(follow("/jobs/" + id + "/events", foreign).stream().filter(e -> e.name().equals("loss"))
                    .mapToInt(e -> e.data().get("loss").size()).sum()).as(foreign).isEqualTo((int) iterations);
        }
        // resumed exactly at an epoch's end (360 = 2 x 180): the client got epoch 2 after the loss event with id 360
        List<Event> atBoundary = follow("/jobs/" + id + "/events?since=360");
        assertThat(atBoundary.stream().filter(e -> e.name().equals("epoch")).map(e -> e.data().get("epoch").intValue()))
                .containsExactly(3, 4, 5);
        // an EventSource reconnects to the URL it opened, ?since= included, and adds the last id it saw: the id wins
        List<Event> reconnected = follow("/jobs/" + id + "/events?since=0", Long.toString(iterations - 3));
        assertThat(reconnected.stream().filter(e -> e.name().equals("loss")).mapToInt(e -> e.data().get("loss").size())
                .sum()).isEqualTo(3);
        assertThat(reconnected.stream().filter(e -> e.name().equals("epoch")).map(e -> e.data().get("epoch").intValue()))
                .containsExactly(5);

        // The model the job stored predicts: its own preprocessing applied to raw rows, probabilities that sum to 1.
        Samples data = FakeDatasets.blobs(20_000, 32, 4, 2);
        StringBuilder rows = new StringBuilder();
        int n = 200;
        for (int i = 0; i < n; i++) {
            rows.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < data.features(); j++) {
                rows.append(j == 0 ? "" : ",").append(data.value(i, j));
            }
            rows.append(']');
        }
        HttpResponse<String> predicted = send("POST", "/predict", "{\"modelId\": \"" + last.data().get("modelId").stringValue()
                + "\", \"inputs\": [" + rows + "], \"output\": \"both\"}");
        assertThat(predicted.statusCode()).isEqualTo(200);
        JsonNode predictions = json.readTree(predicted.body()).get("predictions");
        assertThat(predictions.size()).isEqualTo(n);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            JsonNode p = predictions.get(i);
            double sum = 0;
            int argmax = 0;
            for (int c = 0; c < 4; c++) {
                sum += p.get("probabilities").get(c).doubleValue();
                if (p.get("scores").get(c).doubleValue() > p.get("scores").get(argmax).doubleValue()) {
                    argmax = c;
                }
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(p.get("label").intValue()).isEqualTo(argmax);
            correct += p.get("label").intValue() == data.labels()[i] ? 1 : 0;
        }
        assertThat(correct).isGreaterThan(n * 9 / 10);
    }

    @Test
    void cancelALongJobAndSeeItsStreamEndCancelled() throws Exception {
        String id = submit("{\"datasetId\": \"large\", \"epochs\": 3000, \"batchSize\": 20}").get("id").stringValue();
        long deadline = System.currentTimeMillis() + 60_000;
        while (json.readTree(send("GET", "/jobs/" + id, null).body()).get("iteration").longValue() == 0) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(20);
        }
        HttpResponse<String> cancel = send("POST", "/jobs/" + id + "/cancel", null);
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(json.readTree(cancel.body()).get("status").stringValue()).isEqualTo("CANCELLED");

        List<Event> events = follow("/jobs/" + id + "/events");
        JsonNode last = events.get(events.size() - 1).data();
        assertThat(last.get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(last.get("modelId").isNull()).isTrue();
        assertThat(send("POST", "/jobs/" + id + "/cancel", null).statusCode()).isEqualTo(409);
    }

    /**
     * A followed job that is cancelled and deleted at once: its stream still ends with a final word, the job's status
     * if it saw it before the delete, else a 'deleted' event. It used to end with neither, which a client takes for a
     * lost connection (and reconnects to a 404).
     */
    @Test
    void aFollowedJobDeletedAtOnceEndsItsStreamWithAFinalWord() throws Exception {
        String blocker = submit("{\"datasetId\": \"large\", \"epochs\": 3000, \"batchSize\": 20}").get("id").stringValue();
        String queued = submit("{\"datasetId\": \"large\", \"epochs\": 1}").get("id").stringValue();
        java.util.concurrent.CompletableFuture<List<Event>> stream = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return follow("/jobs/" + queued + "/events");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.currentTimeMillis() + 10_000;
        while (send("GET", "/jobs/" + queued, null).statusCode() == 200 && !stream.isDone()
                && System.currentTimeMillis() < deadline) {
            // the stream has its first event once its request is in: then cancel and delete back to back
            Thread.sleep(50);
            assertThat(send("POST", "/jobs/" + queued + "/cancel", null).statusCode()).isEqualTo(200);
            assertThat(send("DELETE", "/jobs/" + queued, null).statusCode()).isEqualTo(204);
        }
        List<Event> events = stream.get(30, java.util.concurrent.TimeUnit.SECONDS);
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).as("events: %s", events).isIn("status", "deleted");
        if (last.name().equals("deleted")) {
            assertThat(last.data().get("id").stringValue()).isEqualTo(queued);
        } else {
            assertThat(last.data().get("status").stringValue()).isEqualTo("CANCELLED");
        }
        send("POST", "/jobs/" + blocker + "/cancel", null);
    }
}
