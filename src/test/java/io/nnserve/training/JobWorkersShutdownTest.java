package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import io.nnserve.training.JobRepository.JobRow;
import tools.jackson.databind.json.JsonMapper;

/**
 * Graceful shutdown: stopping the workers lets the running epoch end, checkpoints it and puts the job back in the
 * queue without using up an attempt; starting them again resumes the job where it stopped.
 */
@SpringBootTest(properties = "nnserve.jobs.shutdown-grace=60s")
@AutoConfigureMockMvc
class JobWorkersShutdownTest {

    @Autowired
    JobWorkers workers;
    @Autowired
    JobService service;
    @Autowired
    JobRepository jobs;
    @Autowired
    JsonMapper json;
    @Autowired
    MockMvc mvc;

    @Test
    void aStoppedInstanceCheckpointsItsJobAndGivesItBack() throws Exception {
        // 18,000 training rows in batches of 20: 900 iterations per epoch.
        MvcResult upload = mvc.perform(post("/datasets").param("name", "large").contentType("text/csv")
                        .content(FakeDatasets.csv(FakeDatasets.blobs(20_000, 32, 4, 2))))
                .andExpect(status().isCreated()).andReturn();
        String datasetId = json.readTree(upload.getResponse().getContentAsString()).get("id").stringValue();
        String id = service.submit(json.readTree("{\"datasetId\": \"" + datasetId + "\", \"epochs\": 1000, "
                + "\"batchSize\": 20, \"hiddenSize\": 16}"), null).job().id();
        await(() -> service.get(id).iteration() > 0);

        workers.stop();
        JobRow stopped = jobs.find(id).orElseThrow();
        assertThat(stopped.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stopped.attempts()).isZero();
        assertThat(stopped.leaseOwner()).isNull();
        assertThat(stopped.epoch()).isPositive();
        assertThat(stopped.iteration()).isEqualTo(stopped.epoch() * 900L);
        assertThat(jobs.checkpoint(id)).hasValueSatisfying(c -> assertThat(c.iteration()).isEqualTo(stopped.iteration()));
        assertThat(service.loss(id, 0).loss()).hasSize((int) stopped.iteration());

        workers.start();
        await(() -> service.get(id).status().equals("RUNNING") && service.get(id).iteration() > stopped.iteration());
        assertThat(jobs.find(id).orElseThrow().attempts()).isEqualTo(1);
        assertThat(service.cancel(id).status()).isEqualTo("CANCELLED");
        JobView cancelled = service.get(id);
        assertThat(service.loss(id, 0).loss()).hasSize((int) cancelled.iteration());
        assertThat(service.loss(id, 0).epochs()).hasSize(cancelled.epoch());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("condition within 60 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
