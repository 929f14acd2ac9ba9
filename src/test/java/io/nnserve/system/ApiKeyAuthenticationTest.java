package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * API keys as an operator sets them: one comma-separated environment variable, {@code KEY:SCOPE+SCOPE} per key.
 * Each request is checked for its status, the {@code WWW-Authenticate} challenge and the problem body; whatever
 * the endpoint does once let in (404 before the feature exists) is not this test's concern.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ContextConfiguration(initializers = ApiKeyAuthenticationTest.KeysFromEnvironment.class)
class ApiKeyAuthenticationTest {

    static final String TRAIN = "train-key-0123456789abcdef";
    static final String PREDICT = "predict-key-0123456789abcdef";
    static final String METRICS = "metrics-key-0123456789abcdef";
    static final String ADMIN = "admin-key-0123456789abcdef";

    /** As if the process had been started with this environment. */
    static class KeysFromEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env",
                    Map.of("NNSERVE_SECURITY_API_KEYS", TRAIN + ":train," + PREDICT + ":predict," + METRICS
                            + ":metrics," + ADMIN)));
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @Autowired
    SecurityProperties security;

    private static String key(String name) {
        return switch (name) {
            case "none" -> null;
            case "train" -> TRAIN;
            case "predict" -> PREDICT;
            case "metrics" -> METRICS;
            case "admin" -> ADMIN;
            case "wrong" -> "wrong-key-0123456789abcdef";
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void keysAreBoundFromTheEnvironmentVariable() {
        assertThat(security.apiKeys()).hasSize(4);
        assertThat(security.apiKeys().get(0).scopes()).containsExactly(Scope.TRAIN);
        assertThat(security.apiKeys().get(3).scopes()).containsExactlyInAnyOrder(Scope.values());
        assertThat(security.toString()).doesNotContain(TRAIN, PREDICT, ADMIN);
        assertThat(security.apiKeys().get(0).toString()).doesNotContain(TRAIN);
    }

    /** "pass" means authentication let the request through (whatever the endpoint then answered). */
    @ParameterizedTest(name = "{0} {1} with {2} key -> {3}")
    @CsvSource({
            "GET, /actuator/health, none, 200",
            "GET, /actuator/health/liveness, none, 200",
            "GET, /actuator/health/readiness, none, 200",
            "GET, /actuator/info, none, 200",
            "GET, /actuator/prometheus, none, 401",
            "GET, /actuator/prometheus, wrong, 401",
            "GET, /actuator/prometheus, metrics, 200",
            "GET, /actuator/prometheus, predict, 200",
            "GET, /v3/api-docs, none, 200",
            "GET, /swagger-ui.html, none, pass",
            "GET, /limits, none, 401",
            "GET, /limits, predict, 200",
            "GET, /datasets, none, 401",
            "GET, /datasets, wrong, 401",
            "GET, /datasets, predict, 403",
            "GET, /datasets, metrics, 403",
            "GET, /datasets, train, 200",
            "GET, /datasets, admin, 200",
            "POST, /datasets, predict, 403",
            "DELETE, /datasets/iris, predict, 403",
            "POST, /train, none, 401",
            "POST, /train, predict, 403",
            "POST, /train, train, 415",
            "GET, /jobs, predict, 403",
            "GET, /jobs, train, 200",
            "GET, /jobs/abc, train, 404",
            "GET, /models/iris-example, predict, 200",
            "GET, /models/iris-example/export, train, 200",
            "GET, /v2, predict, 200",
            "GET, /v2, none, 401",
            "GET, /v2/models/iris-example, predict, 200",
            "GET, /v2/models/iris-example, train, 403",
            "GET, /v1/models/iris-example, predict, 200",
            "GET, /v2/health/ready, none, 200",
            "GET, /datasets/iris, train, 200",
            "GET, /datasets/iris, predict, 403",
            "POST, /jobs/abc/cancel, predict, 403",
            "GET, /models, predict, 200",
            "GET, /models, train, 200",
            "GET, /models, metrics, 403",
            "GET, /models/abc, predict, 404",
            "GET, /models/abc/export, predict, 403",
            "DELETE, /models/abc, predict, 403",
            "POST, /models/import, predict, 403",
            "POST, /models/import, train, 415",
            "POST, /predict, none, 401",
            "POST, /predict, train, 403",
            "POST, /predict, predict, 415",
            "POST, /v2/models/abc/infer, train, 403",
            "POST, /v2/models/abc/infer, predict, pass",
            "POST, /v1/models/abc:predict, train, 403",
            "GET, /v2/health/live, none, 200",
            "POST, /no/such/thing, none, 401",
            "GET, /no/such/thing, none, 404",
    })
    void access(String method, String path, String key, String expected) throws Exception {
        MockHttpServletRequestBuilder request = request(HttpMethod.valueOf(method), path);
        if (key(key) != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key(key));
        }
        MvcResult result = mvc.perform(request).andReturn();
        int status = result.getResponse().getStatus();
        if (expected.equals("pass")) {
            assertThat(status).isNotIn(401, 403);
            return;
        }
        assertThat(status).isEqualTo(Integer.parseInt(expected));
        if (status == 401 || status == 403) {
            String challenge = result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE);
            assertThat(challenge).startsWith("Bearer realm=\"nnserve\"");
            if (status == 403) {
                assertThat(challenge).contains("error=\"insufficient_scope\"");
            }
            if (key.equals("wrong")) {
                assertThat(challenge).contains("error=\"invalid_token\"");
            }
            JsonNode body = json.readTree(result.getResponse().getContentAsString());
            if (path.matches("/v[12](/.*)?")) {
                // the inference protocols' own error form, as every other error on their paths (GET /v2 included)
                assertThat(result.getResponse().getContentType()).startsWith("application/json");
                assertThat(body.get("error").asString()).isNotBlank();
            } else {
                assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
                assertThat(body.get("status").asInt()).isEqualTo(status);
                assertThat(body.get("detail").asString()).isNotBlank();
            }
            assertThat(result.getResponse().getContentAsString()).doesNotContain(TRAIN, PREDICT, ADMIN);
        }
    }

    @ParameterizedTest
    @CsvSource({"Basic dHJhaW46a2V5", "Bearer", "Bearer   ", "bearer train-key-0123456789abcdeX", "Token abc"})
    void malformedOrWrongCredentialsAre401(String header) throws Exception {
        MvcResult result = mvc.perform(request(HttpMethod.GET, "/datasets").header(HttpHeaders.AUTHORIZATION, header))
                .andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    @Test
    void twoAuthorizationHeadersAre401WhateverTheirOrder() throws Exception {
        for (String[] pair : new String[][] {{PREDICT, "wrong-key-0123456789abcdef"}, {"wrong-key-0123456789abcdef", PREDICT}}) {
            MvcResult result = mvc.perform(request(HttpMethod.GET, "/limits")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + pair[0], "Bearer " + pair[1])).andReturn();
            assertThat(result.getResponse().getStatus()).isEqualTo(401);
            assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).contains("invalid_request");
            assertThat(result.getResponse().getContentAsString()).contains("2 Authorization headers")
                    .doesNotContain(PREDICT);
        }
    }

    @Test
    void theSchemeIsCaseInsensitive() throws Exception {
        MvcResult result = mvc.perform(request(HttpMethod.GET, "/limits")
                .header(HttpHeaders.AUTHORIZATION, "bearer " + PREDICT)).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource({"/models/%2e%2e", "/models/..%2Fdatasets", "/models/a;b", "/datasets/%2E%2E/predict",
            "/models/%5c..", "/predict/%2e%2e/datasets", "/models/%00"})
    void nonCanonicalPathsAre404(String path) throws Exception {
        MvcResult result = mvc.perform(request(HttpMethod.GET, java.net.URI.create(path))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + PREDICT)).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(404);
        assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
    }
}
