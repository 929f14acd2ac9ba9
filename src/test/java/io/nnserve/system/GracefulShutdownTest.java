package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.nnserve.NnserveApplication;

/**
 * Graceful shutdown as configured ({@code server.shutdown=graceful}, 30 s per phase): when the context closes,
 * readiness turns REFUSING_TRAFFIC first, and a request already in progress still completes with its answer.
 */
class GracefulShutdownTest {

    static final CountDownLatch REQUEST_STARTED = new CountDownLatch(1);

    @RestController
    static class SlowController {
        @GetMapping("/test/slow")
        String slow() throws InterruptedException {
            REQUEST_STARTED.countDown();
            Thread.sleep(1500);
            return "finished";
        }
    }

    @Test
    void readinessGoesDownFirstAndInFlightRequestsFinish() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(NnserveApplication.class,
                SlowController.class)
                .properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:shutdown-test;DB_CLOSE_DELAY=-1;"
                        + "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
                .listeners(event -> {
                    if (event instanceof AvailabilityChangeEvent<?> change
                            && change.getState() instanceof ReadinessState state) {
                        events.add("readiness " + state);
                    } else if (event instanceof ContextClosedEvent) {
                        events.add("context closed");
                    }
                })
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/test/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(REQUEST_STARTED.await(20, TimeUnit.SECONDS)).isTrue();

        context.close();
        events.add("closed");

        HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("finished");
        assertThat(events).containsSubsequence("readiness ACCEPTING_TRAFFIC", "readiness REFUSING_TRAFFIC",
                "context closed", "closed");
    }
}
