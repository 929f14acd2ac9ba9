package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import tools.jackson.databind.json.JsonMapper;

/**
 * Clients of {@code GET /jobs/{id}/events} that stop reading: each one's writes block until the server's write
 * timeout (one minute here), and that must cost nobody else anything: other streams go on, and a shutdown does not
 * wait for them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.tomcat.connection-timeout=60s", "nnserve.jobs.events-keep-alive=1s"})
@DirtiesContext
class JobEventsSlowClientTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JobEvents events;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Socket> stalled = new ArrayList<>();

    @AfterEach
    void closeStalledClients() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
    }

    private String submit(String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/train"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json.readTree(response.body()).get("id").asString();
    }

    private void awaitEnd(String id) throws Exception {
        for (int i = 0; i < 1200; i++) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/jobs/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (json.readTree(body).get("status").asString().equals("SUCCEEDED")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not succeed");
    }

    /** A client that asks for a stream and never reads it: a small receive buffer fills at once. */
    private void stallOn(String id) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("localhost", port));
        socket.getOutputStream().write(("GET /jobs/" + id + "/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        stalled.add(socket);
    }

    @Test
    void clientsThatStopReadingHoldUpNeitherOtherStreamsNorTheShutdown() throws Exception {
        // a long history: hundreds of thousands of loss points, megabytes of events for whoever subscribes
        String big = submit("{\"datasetId\": \"iris\", \"hiddenSize\": 4, \"batchSize\": 1, \"epochs\": 2000, \"seed\": 1}");
        awaitEnd(big);
        for (int i = 0; i < 4; i++) {
            stallOn(big);
        }
        Thread.sleep(2000); // their polls are now blocked in writes

        String small = submit("{\"datasetId\": \"iris\", \"epochs\": 2, \"seed\": 2}");
        CompletableFuture<String> followed = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/jobs/" + small + "/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(HttpResponse::body);
        // blocked behind the stalled writes, this stream would wait for their one-minute timeout
        String stream = followed.get(20, TimeUnit.SECONDS);
        assertThat(stream).contains("event:status").contains("SUCCEEDED");

        long start = System.nanoTime();
        events.stop();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
        events.start(); // for the other test of this context
    }

    /**
     * A client that has gone from a stream whose job does not change (a job queued behind a long one) is noticed at
     * the next keep-alive comment, whose write fails, and is no longer polled for.
     */
    @Test
    void aClientThatLeftAQuietStreamIsDroppedAtTheNextKeepAlive() throws Exception {
        String busy = submit("{\"datasetId\": \"digits\", \"batchSize\": 1, \"epochs\": 5000, \"seed\": 3}");
        String queued = submit("{\"datasetId\": \"iris\", \"epochs\": 1, \"seed\": 4}");
        int before = events.subscribers();
        try (Socket socket = new Socket("localhost", port)) {
            socket.getOutputStream().write(("GET /jobs/" + queued + "/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(500);
            assertThat(events.subscribers()).isEqualTo(before + 1);
        }
        // keep-alive every second here: the first write after the close is refused, the next one fails (without the
        // keep-alive, nothing is written until the job starts, minutes from now)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (events.subscribers() > before && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(events.subscribers()).isEqualTo(before);
        for (String id : List.of(queued, busy)) {
            http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/jobs/" + id + "/cancel"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
