package io.nnserve.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Trains a model through the API as a user would (POST /train, then GET /jobs/{id} until it ends). */
public final class MockMvcTraining {

    private static final JsonMapper JSON = JsonMapper.shared();

    private MockMvcTraining() {
    }

    /** The id of the model the job of {@code trainRequest} stored; fails unless the job succeeds within a minute. */
    public static String trainModel(MockMvc mvc, String trainRequest) throws Exception {
        String job = JSON.readTree(mvc.perform(post("/train").contentType(MediaType.APPLICATION_JSON).content(trainRequest))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString()).get("id").stringValue();
        JsonNode done = null;
        for (long deadline = System.currentTimeMillis() + 60_000; System.currentTimeMillis() < deadline; Thread.sleep(50)) {
            done = JSON.readTree(mvc.perform(get("/jobs/" + job)).andReturn().getResponse().getContentAsString());
            if (!List.of("QUEUED", "RUNNING").contains(done.get("status").stringValue())) {
                break;
            }
        }
        assertThat(done.get("status").stringValue()).as("job %s: %s", job, done).isEqualTo("SUCCEEDED");
        return done.get("modelId").stringValue();
    }
}
