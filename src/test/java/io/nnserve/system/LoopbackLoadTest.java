package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounded load on loopback (issue 5): 32 clients predicting at once for a fixed short time without a single error,
 * and ten times the job queue's capacity of training submissions at once, answered only 202 or 429, with every
 * accepted job trained to the end. Counts, not timings, are asserted; every loop stops by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nnserve.limits.max-active-jobs=3", "nnserve.jobs.retry-after=2s"})
class LoopbackLoadTest {

    static final int CLIENTS = 32;
    static final Duration PREDICT_FOR = Duration.ofSeconds(3);
    static final int CAPACITY = 3;

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
    }

    private HttpRequest postJson(String path, String body) {
        return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void thirtyTwoClientsPredictWithoutErrors() throws Exception {
        String body = "{\"modelId\": \"iris-example\", \"inputs\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}";
        AtomicLong ok = new AtomicLong();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch start = new CountDownLatch(1);
        long[] perClient = new long[CLIENTS];
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> {
                start.await();
                long end = System.nanoTime() + PREDICT_FOR.toNanos();
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<String> response = http.send(postJson("/predict", body),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200 && response.body().contains("\"className\":\"setosa\"")) {
                            ok.incrementAndGet();
                            perClient[client]++;
                        } else {
                            errors.merge("HTTP " + response.statusCode(), 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> client : running) {
            client.get(PREDICT_FOR.toSeconds() + 120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        System.out.printf("load: %d clients, %d s: %d predictions answered 200, errors %s%n", CLIENTS,
                PREDICT_FOR.toSeconds(), ok.get(), errors);
        assertThat(errors).isEmpty();
        assertThat(java.util.Arrays.stream(perClient).min().orElse(0)).as("every client got answers").isPositive();
        assertThat(ok.get()).isGreaterThanOrEqualTo(CLIENTS);
        assertThat(http.send(request("/actuator/health/readiness").build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void tenTimesTheQueueCapacityIsAnswered202Or429AndEveryAcceptedJobFinishes() throws Exception {
        String body = "{\"datasetId\": \"iris\", \"epochs\": 3, \"hiddenSize\": 8}";
        int submissions = 10 * CAPACITY;
        ExecutorService clients = Executors.newFixedThreadPool(submissions);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < submissions; i++) {
            answers.add(clients.submit(() -> {
                start.await();
                return http.send(postJson("/train", body), HttpResponse.BodyHandlers.ofString());
            }));
        }
        start.countDown();
        List<String> accepted = new ArrayList<>();
        int refused = 0;
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(120, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isIn(202, 429);
            if (response.statusCode() == 202) {
                accepted.add(json.readTree(response.body()).get("id").asString());
                assertThat(response.headers().firstValue("Location")).isPresent();
            } else {
                refused++;
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                assertThat(response.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("application/problem+json");
            }
        }
        Instant burstEnd = Instant.now();
        clients.shutdown();
        System.out.printf("load: %d submissions at once, capacity %d: %d accepted, %d refused with 429%n",
                submissions, CAPACITY, accepted.size(), refused);
        assertThat(accepted.size() + refused).isEqualTo(submissions);
        assertThat(accepted).isNotEmpty().doesNotHaveDuplicates();

        int finishedDuringBurst = 0;
        for (String id : accepted) {
            JsonNode job = waitUntilEnded(id);
            assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
            assertThat(job.get("modelId").isString()).isTrue();
            if (Instant.parse(job.get("finishedAt").asString()).isBefore(burstEnd)) {
                finishedDuringBurst++;
            }
        }
        // Admission holds under concurrency: never more than CAPACITY jobs queued or running at once.
        assertThat(accepted.size()).isLessThanOrEqualTo(CAPACITY + finishedDuringBurst);
        JsonNode all = json.readTree(http.send(request("/jobs?size=100").build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(all.get("total").asLong()).as("no job lost or duplicated").isEqualTo(accepted.size());
    }

    private JsonNode waitUntilEnded(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode job;
        do {
            job = json.readTree(http.send(request("/jobs/" + id).build(), HttpResponse.BodyHandlers.ofString()).body());
            if (Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("status").asString())) {
                return job;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return job;
    }
}
