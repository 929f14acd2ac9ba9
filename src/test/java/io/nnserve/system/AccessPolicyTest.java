package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessPolicyTest {

    private final AccessPolicy docsOpen = new AccessPolicy(true);
    private final AccessPolicy docsClosed = new AccessPolicy(false);

    private static AccessPolicy.Requirement named(String name) {
        return switch (name) {
            case "open" -> AccessPolicy.OPEN;
            case "any" -> AccessPolicy.ANY_KEY;
            case "train" -> AccessPolicy.TRAIN;
            case "predict" -> AccessPolicy.PREDICT;
            case "read-models" -> AccessPolicy.READ_MODELS;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET, /actuator/health, open",
            "GET, /actuator/health/readiness, open",
            "GET, /actuator/health/liveness, open",
            "GET, /actuator/info, open",
            "GET, /actuator/prometheus, any",
            "GET, /actuator/env, any",
            "POST, /actuator/shutdown, any",
            "GET, /swagger-ui.html, open",
            "GET, /swagger-ui/index.html, open",
            "GET, /v3/api-docs, open",
            "GET, /v3/api-docs/swagger-config, open",
            "GET, /, open",
            "GET, /index.html, open",
            "GET, /app.js, open",
            "GET, /no/such/page, open",
            "POST, /no/such/page, any",
            "DELETE, /, any",
            "GET, /limits, any",
            "POST, /datasets, train",
            "GET, /datasets, train",
            "GET, /datasets/iris, train",
            "DELETE, /datasets/iris, train",
            "POST, /train, train",
            "GET, /jobs, train",
            "GET, /jobs/abc/events, train",
            "POST, /jobs/abc/cancel, train",
            "DELETE, /jobs/abc, train",
            "GET, /models, read-models",
            "HEAD, /models, read-models",
            "GET, /models/abc, read-models",
            "GET, /models/abc/export, train",
            "DELETE, /models/abc, train",
            "POST, /models/import, train",
            "POST, /predict, predict",
            "GET, /v2, predict",
            "GET, /v2/models/abc, predict",
            "POST, /v2/models/abc/infer, predict",
            "GET, /v2/health/live, open",
            "GET, /v2/health/ready, open",
            "POST, /v1/models/abc:predict, predict",
            "GET, /datasetsX, open",
            "POST, /trainer, any",
    })
    void requirements(String method, String path, String expected) {
        assertThat(docsOpen.requirement(method, path)).isEqualTo(named(expected));
    }

    @ParameterizedTest
    @CsvSource({"GET, /swagger-ui.html", "GET, /swagger-ui/index.html", "GET, /v3/api-docs", "GET, /v3/api-docs.yaml",
        "GET, /v3/api-docs/swagger-config"})
    void docsCanBeClosed(String method, String path) {
        assertThat(docsClosed.requirement(method, path)).isEqualTo(AccessPolicy.ANY_KEY);
    }
}
