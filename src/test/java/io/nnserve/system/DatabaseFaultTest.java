package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database goes away and comes back, for real, under the production profile ({@code postgres}): a PostgreSQL of this test's own (not the shared test server) is
 * stopped under a running service and started again on the same port and data directory. Meanwhile requests answer
 * 503 problem+json quickly, readiness is DOWN, a write changes nothing; afterwards the service serves again without
 * a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.connection-timeout=1000", "spring.datasource.hikari.validation-timeout=500",
        "spring.datasource.hikari.maximum-pool-size=4"})
@ActiveProfiles("postgres")
class DatabaseFaultTest {

    private static Path dataDirectory;
    private static int databasePort;
    private static EmbeddedPostgres postgres;

    @DynamicPropertySource
    static void ownPostgres(DynamicPropertyRegistry registry) throws IOException {
        dataDirectory = Files.createTempDirectory("nnserve-db-fault");
        try (ServerSocket socket = new ServerSocket(0)) {
            databasePort = socket.getLocalPort();
        }
        startPostgres();
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.datasource.driver-class-name", () -> "org.postgresql.Driver");
    }

    private static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                .setPort(databasePort).start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
        FileSystemUtils.deleteRecursively(dataDirectory);
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(response.body()).doesNotContain("Exception", "jdbc:", "postgres", "Hikari", "SQL");
    }

    @Test
    void unavailableDatabaseAnswers503AndTheServiceRecoversWithoutRestart() throws Exception {
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        HttpResponse<String> before = get("/datasets");
        assertThat(before.statusCode()).isEqualTo(200);
        int datasetsBefore = json.readTree(before.body()).size();
        assertThat(datasetsBefore).isGreaterThanOrEqualTo(2);

        postgres.close();

        assertUnavailable(get("/datasets"));
        assertUnavailable(get("/datasets/iris"));
        assertUnavailable(postJson("/datasets", """
                {"name": "written-while-down", "features": [[0, 0], [1, 1]], "labels": [0, 1]}"""));
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("DOWN");
        assertThat(get("/actuator/health/liveness").statusCode()).as("liveness does not depend on the database")
                .isEqualTo(200);
        HttpResponse<String> protocolReady = get("/v2/health/ready");
        assertThat(protocolReady.statusCode()).as("the inference protocol's probe agrees").isEqualTo(503);
        assertThat(protocolReady.body()).contains("\"ready\":false");

        startPostgres();

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (get("/actuator/health/readiness").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        HttpResponse<String> after = get("/datasets");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(json.readTree(after.body()).size()).as("nothing was written while the database was away")
                .isEqualTo(datasetsBefore);
        assertThat(after.body()).doesNotContain("written-while-down");

        // the job worker waited the outage out (it used to die of the transaction manager's exception): it trains
        JsonNode job = awaitEnd(submit("{\"datasetId\": \"iris\", \"epochs\": 2, \"seed\": 1}"));
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    }

    /**
     * The database goes away while a job trains and stays away past its end: the trained model waits in memory and
     * is stored when the database is back, in the same attempt; the heartbeat lives on and sees a later cancel.
     */
    @Test
    void aJobThatEndsWhileTheDatabaseIsAwayIsStoredWhenItIsBack() throws Exception {
        String id = submit("{\"datasetId\": \"digits\", \"epochs\": 300, \"hiddenSize\": 50, \"seed\": 2}");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job(id).get("iteration").asLong() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        postgres.close();
        Thread.sleep(8_000); // past the job's end on most machines, and past a heartbeat
        startPostgres();

        JsonNode done = awaitEnd(id);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempts").asInt()).as("no attempt lost to the outage").isEqualTo(1);
        assertThat(get("/models/" + done.get("modelId").asString()).statusCode()).isEqualTo(200);

        // the heartbeat lived through the outage (a run that threw used to end it): its gauges count the new job
        long succeeded = json.readTree(get("/jobs?status=SUCCEEDED").body()).get("total").asLong();
        long gaugeDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (succeededGauge() != succeeded && System.nanoTime() < gaugeDeadline) {
            Thread.sleep(200);
        }
        assertThat(succeededGauge()).isEqualTo(succeeded);
    }

    private long succeededGauge() throws Exception {
        for (String line : get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith("nnserve_jobs{") && line.contains("status=\"SUCCEEDED\"")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private String submit(String body) throws Exception {
        HttpResponse<String> response = postJson("/train", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json.readTree(response.body()).get("id").asString();
    }

    private JsonNode job(String id) throws Exception {
        HttpResponse<String> response = get("/jobs/" + id);
        return response.statusCode() == 200 ? json.readTree(response.body()) : json.readTree("{\"iteration\": 0}");
    }

    private JsonNode awaitEnd(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = job(id);
            String status = job.path("status").asString("");
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not end: " + job(id));
    }
}
