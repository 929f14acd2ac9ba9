package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parser limits of request bodies (nnserve.limits.json-*) apply to what clients send, not to what the service
 * stored itself: a job's effective request carries the seed it drew, 19 digits, and an instance whose limit on a
 * number's length is shorter than that answered POST /train with a 500 and failed the job three times over.
 */
@SpringBootTest(properties = "nnserve.limits.json-max-number-length=10")
@AutoConfigureMockMvc
class StoredRequestLimitsTest {

    @Autowired
    MockMvc mvc;
    /** Not the service's mapper: the test reads answers, whose numbers the request limit does not apply to. */
    final JsonMapper json = JsonMapper.shared();

    @Test
    void aJobWhoseStoredRequestHasLongerNumbersThanRequestsMayStillRuns() throws Exception {
        // no seed: the service draws one, most likely longer than 10 digits
        JsonNode queued = json.readTree(mvc.perform(post("/train").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"iris\", \"epochs\": 2, \"seed\": null}"))
                .andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString());
        String id = queued.get("id").stringValue();
        long seed = queued.at("/request/seed").longValue();
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode job;
        do {
            Thread.sleep(50);
            job = json.readTree(mvc.perform(get("/jobs/" + id)).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString());
        } while (!JobStatus.valueOf(job.get("status").stringValue()).isFinal() && System.currentTimeMillis() < deadline);
        assertThat(job.get("status").stringValue()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.at("/request/seed").longValue()).isEqualTo(seed);
        // a client's own number of that length is still refused, as the limit says
        mvc.perform(post("/train").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"iris\", \"seed\": " + Math.max(Math.abs(seed), 100_000_000_000L) + "}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("json-max-number-length")));
    }
}
