package io.nnserve.training;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** A full queue answers 429 with Retry-After; a replayed Idempotency-Key is still answered. No workers run here. */
@SpringBootTest(properties = {"nnserve.limits.max-active-jobs=2", "nnserve.jobs.workers-enabled=false"})
@AutoConfigureMockMvc
class JobAdmissionTest {

    @Autowired
    MockMvc mvc;

    @Test
    void aFullQueueAnswers429WithRetryAfter() throws Exception {
        String body = "{\"datasetId\": \"iris\", \"epochs\": 1}";
        mvc.perform(post("/train").header("Idempotency-Key", "first").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted());
        mvc.perform(post("/train").contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isAccepted());
        mvc.perform(post("/train").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "30"))
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail", Matchers.containsString("nnserve.limits.max-active-jobs")));
        mvc.perform(post("/train").header("Idempotency-Key", "first").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Idempotent-Replayed", "true"));
    }
}
