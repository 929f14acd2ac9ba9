package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An instance with API keys: its readiness probe, open for the orchestrator, answers its status only, without the
 * database's product or the damaged models' ids ({@link ReadinessDetailsDefault}).
 */
@SpringBootTest(properties = {"nnserve.security.api-keys=readiness-key-0123456789:train",
        "nnserve.jobs.workers-enabled=false"})
@AutoConfigureMockMvc
class ReadinessWithKeysTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @Test
    void theOpenReadinessProbeGivesItsStatusOnly() throws Exception {
        MvcResult result = mvc.perform(get("/actuator/health/readiness")).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        JsonNode health = json.readTree(result.getResponse().getContentAsString());
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.has("components")).as(health.toString()).isFalse();
        assertThat(result.getResponse().getContentAsString()).doesNotContain("H2", "damagedModels");
    }
}
