package io.nnserve.training;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.json.JsonMapper;

/**
 * A cancel that loses the race with the end of its job: the queue takes the cancel request while the job runs, and
 * its worker (on another instance here, a row with someone else's lease) finishes the last minibatch before it reads
 * the flag. The answer is a 409 that says how the job ended and names its model, not a 200 that looks like a
 * successful cancel.
 */
@SpringBootTest(properties = "nnserve.jobs.workers-enabled=false")
@AutoConfigureMockMvc
class CancelRaceTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;
    @MockitoSpyBean
    JobQueue queue;

    @Test
    void aJobThatSucceedsWhileItsCancelIsTakenIsA409NamingItsModel() throws Exception {
        String id = json.readTree(mvc.perform(post("/train").contentType(MediaType.APPLICATION_JSON)
                .content("{\"datasetId\": \"iris\", \"epochs\": 5}")).andReturn().getResponse().getContentAsString())
                .get("id").asString();
        jdbc.sql("UPDATE jobs SET status = 'RUNNING', lease_owner = 'another-instance', lease_token = 't',"
                + " lease_expires_at = ? WHERE id = ?").params(JobRepository.time(Instant.now().plusSeconds(60)), id)
                .update();
        doAnswer(call -> {
            Object outcome = call.callRealMethod();
            // the other instance's worker ends the job right after the cancel request was recorded
            jdbc.sql("UPDATE jobs SET status = 'SUCCEEDED', model_id = 'iris-example', lease_owner = NULL"
                    + " WHERE id = ?").param(id).update();
            return outcome;
        }).when(queue).cancel(anyString());

        mvc.perform(post("/jobs/" + id + "/cancel"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("ended SUCCEEDED before the cancellation")))
                .andExpect(jsonPath("$.detail").value(containsString("its model is iris-example")));
    }
}
