package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.models.OpenAPI;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v3/api-docs} is a valid OpenAPI 3 document that describes every endpoint the service has: every path
 * mapped by a controller appears, every operation has responses, every {@code $ref} resolves, every JSON or CSV
 * request body has an example, and the bearer key scheme is declared. Swagger UI is served. Real answers of a fresh
 * instance validate against the schemas the document gives for them (JSON Schema 2020-12, as OpenAPI 3.1 has it),
 * and every path parameter has an example that names something a fresh instance has.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private String body;
    private JsonNode document;

    @BeforeEach
    void fetch() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        body = response.body();
        document = json.readTree(body);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void isAnOpenApi3DocumentThatSwaggerReads() throws Exception {
        assertThat(document.get("openapi").asString()).startsWith("3.");
        assertThat(document.at("/info/title").asString()).isEqualTo("nnserve");
        assertThat(document.at("/info/version").asString()).isNotBlank().doesNotContain("@");
        assertThat(document.at("/servers/0/url").asString()).isEqualTo("/");
        assertThat(document.at("/components/securitySchemes/apiKey/type").asString()).isEqualTo("http");
        assertThat(document.at("/components/securitySchemes/apiKey/scheme").asString()).isEqualTo("bearer");
        assertThat(document.at("/security/0/apiKey").isArray()).isTrue();

        // The 3.1 reader: the 3.0 one cannot read a list of types such as ["string", "null"].
        OpenAPI parsed = io.swagger.v3.core.util.Json31.mapper().readValue(body, OpenAPI.class);
        assertThat(parsed.getPaths()).isNotEmpty();
        assertThat(parsed.getInfo().getTitle()).isEqualTo("nnserve");
    }

    @Test
    void everyOperationHasResponsesAndEveryReferenceResolves() {
        List<String> problems = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (isMethod(operation.getKey()) && operation.getValue().path("responses").isEmpty()) {
                problems.add(operation.getKey() + " " + path.getKey() + " has no responses");
            }
        }));
        collectReferences(document, problems);
        assertThat(problems).isEmpty();
    }

    /**
     * An operation that declares some of its answers must declare its success too: springdoc leaves out the answer it
     * would derive from the return type as soon as one {@code @ApiResponse} is given, and Swagger UI then shows no
     * success schema. A success with a body names its schema.
     */
    /** Swagger UI asks for an answer's first type: the loss history's JSON (with the epochs), not its CSV. */
    @Test
    void jsonIsTheFirstTypeOfAnAnswerThatHasSeveral() {
        JsonNode loss = document.at("/paths/~1jobs~1{id}~1loss/get/responses/200/content");
        assertThat(loss.propertyNames()).containsExactly("application/json", "text/csv");
        assertThat(document.at("/info/description").asString()).contains("`Authorization: Bearer <key>`");
    }

    @Test
    void everyOperationDeclaresItsSuccess() {
        List<String> problems = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (!isMethod(operation.getKey())) {
                return;
            }
            String name = operation.getKey() + " " + path.getKey();
            List<String> successes = new ArrayList<>();
            operation.getValue().path("responses").properties().forEach(response -> {
                if (response.getKey().startsWith("2")) {
                    successes.add(response.getKey());
                    if (!response.getKey().equals("204") && response.getValue().path("content").isEmpty()) {
                        problems.add(name + " declares " + response.getKey() + " without a body");
                    }
                }
            });
            if (successes.isEmpty()) {
                problems.add(name + " declares no success");
            }
        }));
        assertThat(problems).isEmpty();
        // every error has the error schema of its paths, but the protocol's health, whose 503 is its usual answer
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (isMethod(operation.getKey()) && !path.getKey().startsWith("/v2/health/")) {
                operation.getValue().path("responses").properties().forEach(response -> {
                    String ref = response.getValue().at("/content").properties().stream().findFirst()
                            .map(media -> media.getValue().at("/schema/$ref").asString("")).orElse("");
                    if (response.getKey().matches("[45]..") && !ref.matches("#/components/schemas/(Problem|ProtocolError)")) {
                        problems.add(operation.getKey() + " " + path.getKey() + " " + response.getKey() + ": " + ref);
                    }
                });
            }
        }));
        assertThat(problems).isEmpty();
        // the protocol's health answers a 503 with the same body when the answer is no
        for (String probe : List.of("live", "ready")) {
            assertThat(document.at("/paths/~1v2~1health~1" + probe + "/get/responses/503/content/application~1json/schema/$ref")
                    .asString()).as(probe).startsWith("#/components/schemas/Server");
        }
    }

    private void collectReferences(JsonNode node, List<String> problems) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString()) {
                String pointer = ref.asString();
                if (!pointer.startsWith("#/") || document.at(pointer.substring(1)).isMissingNode()) {
                    problems.add("unresolved $ref " + pointer);
                }
            }
            node.properties().forEach(entry -> collectReferences(entry.getValue(), problems));
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, problems));
        }
    }

    @Test
    void everyControllerPathIsDocumented() {
        Set<String> documented = new HashSet<>();
        document.get("paths").properties().forEach(path -> documented.add(path.getKey()));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            HandlerMethod handler = entry.getValue();
            if (handler.getBeanType().getPackageName().startsWith("org.springdoc") || isHidden(handler)) {
                continue;
            }
            for (PathPattern pattern : entry.getKey().getPathPatternsCondition().getPatterns()) {
                String path = pattern.getPatternString().replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
                if (!documented.contains(path)) {
                    missing.add(path + " (" + handler.getShortLogMessage() + ")");
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(documented).contains("/limits");
        // the actuator's exposed endpoints too (they are not controllers): Swagger UI tries every endpoint
        assertThat(documented).contains("/actuator/health", "/actuator/info", "/actuator/prometheus")
                .doesNotContain("/actuator");
    }

    private static boolean isHidden(HandlerMethod handler) {
        return AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), Hidden.class)
                || AnnotatedElementUtils.hasAnnotation(handler.getMethod(), Hidden.class);
    }

    @Test
    void everyJsonOrCsvRequestBodyHasAnExample() {
        List<String> missing = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            JsonNode content = operation.getValue().path("requestBody").path("content");
            content.properties().forEach(media -> {
                boolean needsExample = media.getKey().contains("json") || media.getKey().equals("text/csv");
                JsonNode m = media.getValue();
                boolean hasExample = m.has("example") || !m.path("examples").isEmpty()
                        || m.path("schema").has("example") || hasExampleInComponent(m.path("schema"));
                if (needsExample && !hasExample) {
                    missing.add(operation.getKey().toUpperCase() + " " + path.getKey() + " " + media.getKey());
                }
            });
        }));
        assertThat(missing).isEmpty();
    }

    private boolean hasExampleInComponent(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        return ref != null && document.at(ref.asString().substring(1)).has("example");
    }

    private static boolean isMethod(String key) {
        return Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(key);
    }

    /**
     * The answers a contract checker sees on a fresh start (a queued job with its nulls, a finished one, the built-in
     * model and dataset, a trained model) each validate against the schema its operation declares for its status.
     */
    @Test
    void realResponsesMatchTheSchemasOfTheirOperations() throws Exception {
        List<String> problems = new ArrayList<>();

        HttpResponse<String> submitted = postJson("/train", "{\"datasetId\": \"iris\", \"epochs\": 2}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        assertThat(submitted.headers().firstValue("Location")).isPresent();
        problems.addAll(check("post", "/train", submitted));
        String jobId = json.readTree(submitted.body()).get("id").asString();

        problems.addAll(check("get", "/jobs/{id}", get("/jobs/" + jobId)));
        HttpResponse<String> finished = awaitEnd(jobId);
        assertThat(json.readTree(finished.body()).get("status").asString()).isEqualTo("SUCCEEDED");
        problems.addAll(check("get", "/jobs/{id}", finished));

        String trained = json.readTree(finished.body()).get("modelId").asString();
        problems.addAll(check("get", "/models/{id}", get("/models/" + trained)));
        problems.addAll(check("get", "/models/{id}", get("/models/iris-example")));
        problems.addAll(check("get", "/datasets/{id}", get("/datasets/iris")));
        problems.addAll(check("get", "/jobs", get("/jobs")));
        assertThat(problems).isEmpty();

        // The check is live: a job without its id, or with a status it cannot have, is reported.
        ObjectNode broken = (ObjectNode) json.readTree(finished.body());
        broken.putNull("id");
        broken.put("status", "DONE");
        assertThat(check("get", "/jobs/{id}", 200, broken.toString())).hasSize(2);
    }

    private HttpResponse<String> awaitEnd(String jobId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            HttpResponse<String> job = get("/jobs/" + jobId);
            String status = json.readTree(job.body()).get("status").asString();
            if (Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status) || Instant.now().isAfter(deadline)) {
                return job;
            }
            Thread.sleep(100);
        }
    }

    /**
     * Each operation's errors, provoked on a fresh start: an unknown id in every path, a body that is not JSON, a
     * Content-Type it does not take, a query string that cannot be decoded. Every status that comes back is declared
     * for the operation, and its body validates against the declared schema (a problem, or the inference protocols'
     * error).
     */
    @Test
    void errorAnswersAreDeclaredWithTheirSchemas() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new java.util.TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            String method = operation.getKey();
            if (!isMethod(method)) {
                return;
            }
            String target = path.getKey().replaceAll("\\{[^}]*}", java.util.UUID.randomUUID().toString());
            boolean body = operation.getValue().has("requestBody");
            boolean query = operation.getValue().path("parameters").valueStream()
                    .anyMatch(p -> p.path("in").asString().equals("query"));
            List<HttpRequest> requests = new ArrayList<>();
            String uri = "http://127.0.0.1:" + port + target;
            requests.add(request(method, uri, body ? "application/json" : null, body ? "{" : null));
            if (body) {
                requests.add(request(method, uri, "text/plain", "x"));
            }
            if (query) {
                requests.add(request(method, uri + "?" + operation.getValue().at("/parameters").valueStream()
                        .filter(p -> p.path("in").asString().equals("query")).findFirst().orElseThrow()
                        .path("name").asString() + "=%FF", body ? "application/json" : null, body ? "{}" : null));
            }
            for (HttpRequest request : requests) {
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() >= 400) {
                        seen.add(response.statusCode() + "");
                        problems.addAll(check(method, path.getKey(), response));
                    }
                } catch (Exception e) {
                    problems.add(method + " " + target + ": " + e);
                }
            }
        }));
        assertThat(problems).isEmpty();
        assertThat(seen).as("the requests reach every kind of shape-given error").contains("400", "404", "415");
        // 401 and 403 cannot come from this instance (it has no API keys), but are declared where a key is needed
        assertThat(document.at("/paths/~1predict/post/responses/403/content/application~1problem+json/schema/$ref")
                .asString()).isEqualTo("#/components/schemas/Problem");
        assertThat(document.at("/paths/~1v2~1health~1live/get/responses/401").isMissingNode()).isTrue();
    }

    private static HttpRequest request(String method, String uri, String contentType, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                .method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.build();
    }

    /** The problems of a response against the JSON schema its operation declares for its status and media type. */
    private List<String> check(String method, String path, HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("application/json").split(";")[0].strip();
        return check(method, path, response.statusCode(), type, response.body());
    }

    private List<String> check(String method, String path, int statusCode, String responseBody) {
        return check(method, path, statusCode, "application/json", responseBody);
    }

    private List<String> check(String method, String path, int statusCode, String mediaType, String responseBody) {
        String status = Integer.toString(statusCode);
        JsonNode declared = document.path("paths").path(path).path(method).path("responses").path(status)
                .path("content").path(mediaType).path("schema");
        if (declared.isMissingNode()) {
            return List.of(method.toUpperCase() + " " + path + " declares no " + mediaType + " schema for " + status
                    + " (answered: " + responseBody + ")");
        }
        // The whole document is the schema resource, so the operation's "#/components/schemas/..." references
        // resolve; OpenAPI's own keys (openapi, paths, components) are unknown keywords that a validator ignores.
        ObjectNode schema = (ObjectNode) document.deepCopy();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.set("allOf", json.createArrayNode().add(declared));
        List<Error> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(schema.toString()).validate(json.readTree(responseBody));
        return errors.stream().map(e -> method.toUpperCase() + " " + path + " " + status + ": " + e).toList();
    }

    /**
     * "Try it out" sends the example of every path parameter, so each must name something a fresh instance has. A
     * job id cannot: a fresh instance has no job, and a job's id is only known once it is submitted. A DELETE must
     * have none: its example would be a built-in sample, deleted by one click on "Execute".
     */
    @Test
    void everyPathParameterHasAnExampleButAJobsAndADeletes() {
        List<String> missing = new ArrayList<>();
        List<String> deletable = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (!isMethod(operation.getKey()) || path.getKey().startsWith("/jobs/{id}")) {
                return;
            }
            for (JsonNode parameter : operation.getValue().path("parameters")) {
                boolean hasExample = parameter.has("example") || !parameter.path("examples").isEmpty()
                        || parameter.path("schema").has("example");
                String named = operation.getKey().toUpperCase() + " " + path.getKey() + " "
                        + parameter.path("name").asString();
                if (parameter.path("in").asString().equals("path") && operation.getKey().equals("delete")) {
                    if (hasExample) {
                        deletable.add(named);
                    }
                } else if (parameter.path("in").asString().equals("path") && !hasExample) {
                    missing.add(named);
                }
            }
        }));
        assertThat(missing).isEmpty();
        assertThat(deletable).isEmpty();
        assertThat(document.at("/paths/~1models~1{id}/delete/parameters/0/description").asString()).isNotBlank();
        assertThat(document.at("/paths/~1v2~1models~1{name}~1infer/post/parameters/0/example").asString())
                .isEqualTo("iris-example");
    }

    @Test
    void numberDefaultsAreNumbersAndNullableFieldsSayNull() {
        JsonNode request = document.at("/components/schemas/TrainRequest/properties");
        assertThat(request.at("/validationSplit/default").isNumber()).isTrue();
        assertThat(request.at("/learningRate/default").decimalValue()).isEqualByComparingTo("0.005");
        JsonNode job = document.at("/components/schemas/Job");
        assertThat(job.at("/properties/etaMs/type").toString()).contains("null");
        assertThat(job.at("/properties/id/type").asString()).isEqualTo("string");
        assertThat(job.get("required").toString()).contains("\"id\"").doesNotContain("\"etaMs\"");
        assertThat(document.at("/paths/~1jobs/get/parameters/1/schema/maximum").asInt()).isEqualTo(100);
        assertThat(document.at("/paths/~1jobs~1{id}~1events/get/responses/200/content/text~1event-stream/schema/type")
                .asString()).isEqualTo("string");
    }

    @Test
    void swaggerUiIsServed() throws Exception {
        HttpResponse<String> page = get("/swagger-ui.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("swagger-ui");
        HttpResponse<String> config = get("/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("/v3/api-docs");
    }
}
