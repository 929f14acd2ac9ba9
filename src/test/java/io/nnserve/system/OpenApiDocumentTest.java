package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.models.OpenAPI;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v3/api-docs} is a valid OpenAPI 3 document that describes every endpoint the service has: every path
 * mapped by a controller appears, every operation has responses, every {@code $ref} resolves, every JSON or CSV
 * request body has an example, and the bearer key scheme is declared. Swagger UI is served.
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
