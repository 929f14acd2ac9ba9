package io.nnserve.training;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import tools.jackson.databind.json.JsonMapper;

/**
 * A full queue answers 429 with Retry-After; a replayed Idempotency-Key is still answered; a queued job is cancelled
 * at once. No workers run here, so jobs stay queued (the cancel runs first: it leaves the queue empty again).
 */
@SpringBootTest(properties = {"nnserve.limits.max-active-jobs=2", "nnserve.jobs.workers-enabled=false"})
@AutoConfigureMockMvc
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobAdmissionTest {

    @Autowired
    MockMvc mvc;

    @Test
    @Order(1)
    void aQueuedJobIsCancelledAtOnceAndSaysSo() throws Exception {
        String answer = mvc.perform(post("/train").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"iris\", \"epochs\": 1}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("QUEUED"))
                .andExpect(jsonPath("$.cancelRequested").value(false))
                .andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(answer, "$.id");
        mvc.perform(post("/jobs/" + id + "/cancel"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.cancelRequested").value(true));
        mvc.perform(get("/jobs/" + id)).andExpect(jsonPath("$.cancelRequested").value(true));
    }

    /** A model's hyperparameters are a request that can be posted again: the built-in example model's too. */
    @Test
    @Order(1)
    void theExampleModelsHyperparametersAreAValidRequest() throws Exception {
        String model = mvc.perform(get("/models/iris-example")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        String request = JsonMapper.shared().readTree(model).get("hyperparameters").toString();
        String id = JsonPath.read(mvc.perform(post("/train").contentType(MediaType.APPLICATION_JSON).content(request))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString(), "$.id");
        mvc.perform(post("/jobs/" + id + "/cancel")).andExpect(jsonPath("$.status").value("CANCELLED"));
    }

    @Test
    @Order(2)
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
