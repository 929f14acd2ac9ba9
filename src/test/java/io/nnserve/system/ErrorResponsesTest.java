package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error a client can provoke answers problem+json, whatever it accepts, and carries no stack trace, class
 * name, SQL or server path: errors from controllers, from Spring MVC itself (404, 405, 406, 415), from a servlet
 * filter (handled by the {@code /error} fallback) and from the database layer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({ErrorResponsesTest.FaultyController.class, ErrorResponsesTest.FaultyFilterConfiguration.class})
class ErrorResponsesTest {

    record Body(Integer n) {
    }

    @RestController
    static class FaultyController {
        @PostMapping(path = "/test/errors/json", consumes = "application/json", produces = "application/json")
        Body json(@RequestBody Body body) {
            return body;
        }

        @GetMapping("/test/errors/bug")
        String bug() {
            throw new IllegalStateException("secret at /srv/nnserve/data/x.db in io.nnserve.Secret");
        }

        @GetMapping("/test/errors/sql")
        String sql() {
            throw new BadSqlGrammarException("query", "SELECT secret FROM models",
                    new java.sql.SQLException("syntax error near secret"));
        }

        @GetMapping("/test/errors/db-down")
        String dbDown() {
            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection: host db-secret:5432",
                    new java.sql.SQLTransientConnectionException("HikariPool-1 - Connection is not available"));
        }

        @GetMapping("/test/errors/db-busy")
        String dbBusy() {
            throw new CannotAcquireLockException("lock timeout on table models");
        }

        @GetMapping("/test/errors/no-memory")
        String noMemory() {
            // what a large request's allocation throws on a heap that the requests and jobs in progress have filled
            throw new OutOfMemoryError("Java heap space");
        }

        @GetMapping("/test/errors/wrapped-db-down")
        String wrappedDbDown() {
            throw new IllegalStateException("feature failed", new java.sql.SQLNonTransientConnectionException(
                    "Connection refused: db-secret"));
        }
    }

    @TestConfiguration
    static class FaultyFilterConfiguration {
        @Bean
        FilterRegistrationBean<OncePerRequestFilter> faultyFilter() {
            FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                    new OncePerRequestFilter() {
                        @Override
                        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                FilterChain chain) throws ServletException, IOException {
                            if (request.getRequestURI().equals("/test/errors/filter")) {
                                throw new IllegalStateException("filter secret /srv/nnserve in io.nnserve.Secret");
                            }
                            if (request.getRequestURI().equals("/test/errors/send-error")) {
                                response.sendError(418, "teapot secret /srv/nnserve");
                                return;
                            }
                            chain.doFilter(request, response);
                        }
                    });
            registration.setOrder(0);
            return registration;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path, String contentType, String accept, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0} {1} ({4}) -> {5}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /no/such/endpoint     |                   |                  |            | 404",
            "GET    | /no/such/endpoint     |                   | text/html        |            | 404",
            "GET    | /datasetz/x/y/z       |                   | application/xml  |            | 404",
            "DELETE | /limits                |                   |                  |            | 405",
            "PUT    | /test/errors/json      | application/json  |                  | {\"n\":1}  | 405",
            "POST   | /test/errors/json      | text/plain        |                  | n=1        | 415",
            "POST   | /test/errors/json      | application/xml   |                  | <n>1</n>   | 415",
            "POST   | /test/errors/json      | application/json  | application/xml  | {\"n\":1}  | 406",
            "POST   | /test/errors/json      | application/json  |                  | {\"n\":    | 400",
            "GET    | /test/errors/bug       |                   |                  |            | 500",
            "GET    | /test/errors/sql       |                   |                  |            | 500",
            "GET    | /test/errors/db-down   |                   |                  |            | 503",
            "GET    | /test/errors/db-busy   |                   |                  |            | 503",
            "GET    | /test/errors/wrapped-db-down |             |                  |            | 503",
            "GET    | /test/errors/no-memory |                   |                  |            | 503",
            "GET    | /test/errors/filter    |                   | text/html        |            | 500",
            "GET    | /test/errors/send-error |                  |                  |            | 418",
            "GET    | /error                 |                   |                  |            | 404",
            "GET    | /no/such/endpoint      |                   | garbage          |            | 404",
            "GET    | /datasets/nope         |                   | garbage          |            | 406",
            "GET    | /datasets/nope         |                   | */*;q=abc        |            | 406",
            "GET    | /jobs/nope             |                   | */*;q=abc        |            | 406",
            "PUT    | /datasets/iris         | application/json  | garbage          | {}         | 405",
            "POST   | /train                 | application/json  | garbage          | {}         | 406",
            "GET    | /datasets/iris         |                   | application/yaml |            | 406",
            "GET    | /limits                |                   | application/yaml |            | 406",
            "GET    | /models                |                   | application/json;q=0 |        | 406",
            "POST   | /train                 | application/json  | */*;q=0          | {}         | 406",
            "GET    | /no/such/endpoint      |                   | application/yaml |            | 404",
            "POST   | /datasets              | multipart/form-data |                | x          | 400",
            "POST   | /datasets              | multipart/form-data; boundary=x |    | --x        | 400",
            "POST   | /datasets              |                   |                  | x          | 415",
            "GET    | /actuator/health/nonexistent |             |                  |            | 404",
            // no page of links to the actuator's endpoints: nothing is exposed beyond the three documented ones
            "GET    | /actuator              |                   |                  |            | 404",
            "GET    | /jobs?page=0x1         |                   |                  |            | 400",
            "GET    | /jobs?size=%EF%BC%95   |                   |                  |            | 400",
            "GET    | /datasets/iris/rows?offset=%231|            |                  |            | 400",
            "GET    | /actuator/health/db/x  |                   |                  |            | 404",
    })
    void errorsAreProblemJsonWithoutInternals(String method, String path, String contentType, String accept,
            String body, int status) throws Exception {
        HttpResponse<String> response = send(method, path, contentType, accept, body);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.has("status")).as(response.body()).isTrue();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        // every member the README and the Problem schema promise, whichever part of the stack answered
        assertThat(problem.path("type").asString("")).as(response.body()).isNotBlank();
        assertThat(problem.path("instance").asString("")).as(response.body()).startsWith("/");
        assertThat(response.body()).doesNotContain("secret", "Exception", "io.nnserve", "java.", "/srv", "SELECT",
                "trace", "Hikari");
        for (String field : List.of("trace", "exception", "path", "error", "timestamp")) {
            assertThat(problem.has(field)).as(field).isFalse();
        }
        if (status == 503) {
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void aMissingContentTypeIsNamedAsMissing() throws Exception {
        HttpResponse<String> response = send("POST", "/datasets", null, null, "x");
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json.readTree(response.body()).get("detail").asString())
                .startsWith("The request has no Content-Type header; send one of: ")
                .contains("application/json", "text/csv", "multipart/form-data");
    }

    @Test
    void successesAreJsonOnly() throws Exception {
        HttpResponse<String> response = send("GET", "/datasets/iris", null, "application/yaml, application/json;q=0.5",
                null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(json.readTree(response.body()).get("createdAt").isString()).isTrue();
    }

    private double errors(String status) {
        Counter counter = meters.find("nnserve.http.errors").tag("status", status).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void errorsAreCountedByStatusAndScrapedWithTheCommonTag() throws Exception {
        double notFound = errors("404");
        double teapot = errors("418");
        double failed = errors("500");
        double unavailable = errors("503");
        send("GET", "/no/such/endpoint", null, null, null);
        send("GET", "/no/such/endpoint", null, null, null);
        send("GET", "/test/errors/send-error", null, null, null);
        send("GET", "/test/errors/filter", null, null, null);
        send("GET", "/test/errors/db-down", null, null, null);
        send("GET", "/limits", null, null, null);
        double refused = errors("400");
        // refused by Tomcat before any filter (an encoded slash), answered and counted by ProblemErrorReportValve
        assertThat(send("GET", "/datasets%2Firis", null, null, null).statusCode()).isEqualTo(400);
        assertThat(errors("400")).isEqualTo(refused + 1);
        assertThat(errors("404")).isEqualTo(notFound + 2);
        assertThat(errors("418")).isEqualTo(teapot + 1);
        assertThat(errors("500")).isEqualTo(failed + 1);
        assertThat(errors("503")).isEqualTo(unavailable + 1);
        assertThat(errors("200")).isZero();

        HttpResponse<String> scrape = send("GET", "/actuator/prometheus", null, null, null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).containsPattern(
                "nnserve_http_errors_total\\{application=\"nnserve\",status=\"404\"} [0-9.]+")
                .contains("http_server_requests_seconds_count{application=\"nnserve\"");
    }
}
