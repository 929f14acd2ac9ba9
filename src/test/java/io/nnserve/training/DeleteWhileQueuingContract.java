package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.nnserve.training.JobQueue.Claim;
import io.nnserve.training.JobRepository.JobRow;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /train} and the deletion of the dataset or initial model it names, sent at the same moment many
 * times, on every database the service runs on (a subclass each, annotated {@code @SpringBootTest} with the workers
 * off, so an accepted job stays queued until the test runs it). Exactly one of the two may succeed: the
 * job (and the delete is 409) or the delete (and the request is 400). A job that was accepted then trains to the
 * end, so nothing it needs vanished under it.
 */
@AutoConfigureMockMvc
abstract class DeleteWhileQueuingContract {

    static final int ROUNDS = 50;
    private static final String PROBLEM = "application/problem+json";
    private static final JsonMapper JSON = JsonMapper.shared();

    @Autowired
    MockMvc mvc;
    @Autowired
    JobQueue queue;
    @Autowired
    JobRunner runner;
    @Autowired
    JobRepository jobs;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void aDatasetIsEitherQueuedForOrDeletedNeverBoth() throws Exception {
        raceRounds(this::uploadDataset, id -> "{\"datasetId\": \"" + id + "\", \"epochs\": 1, \"hiddenSize\": 2}",
                "/datasets/", "Dataset", "datasetId");
    }

    @Test
    void aModelIsEitherStartedFromOrDeletedNeverBoth() throws Exception {
        String example = exampleModel();
        raceRounds(() -> importModel(example),
                id -> "{\"datasetId\": \"iris\", \"epochs\": 1, \"initialModelId\": \"" + id + "\"}",
                "/models/", "Model", "initialModelId");
    }

    /**
     * {@link #ROUNDS} times: creates a {@code noun}, sends the train request naming it and its DELETE together,
     * and checks that exactly one succeeded, that the accepted job trains to the end, and what the loser was told.
     */
    private void raceRounds(Callable<String> create, Function<String, String> trainBody, String path, String noun,
                            String field) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = create.call();
            Race race = race(train(trainBody.apply(id)), delete(path + id));

            if (race.train().getStatus() == 202) {
                assertThat(race.delete().getStatus()).as("round %d: the job was queued, so the delete must fail: %s",
                        round, race.delete().getContentAsString()).isEqualTo(409);
                assertThat(race.delete().getContentType()).startsWith(PROBLEM);
                assertThat(detail(race.delete())).contains(noun + " '" + id + "' cannot be deleted",
                        jobId(race.train()));
                assertSucceeds(jobId(race.train()));
                mvc.perform(get(path + id)).andExpect(status().isOk());
            } else {
                assertThat(race.train().getStatus()).as("round %d: %s", round, race.train().getContentAsString())
                        .isEqualTo(400);
                assertThat(race.delete().getStatus()).as("round %d: the job was refused, so the delete won", round)
                        .isEqualTo(204);
                assertThat(detail(race.train())).contains("Nothing was queued");
                assertThat(field(race.train(), field)).contains(noun.toLowerCase(Locale.ROOT) + " '" + id
                        + "' does not exist");
                mvc.perform(get(path + id)).andExpect(status().isNotFound());
            }
        }
        assertThat(jobs.countActive()).isZero();
    }

    @Test
    void aModelIsNotDeletedWhileAQueuedJobStartsFromIt() throws Exception {
        String model = importModel(exampleModel());
        String body = "{\"datasetId\": \"iris\", \"epochs\": 1, \"initialModelId\": \"" + model + "\"}";
        String first = jobId(mvc.perform(train(body)).andExpect(status().isAccepted()).andReturn().getResponse());
        String second = jobId(mvc.perform(train(body)).andExpect(status().isAccepted()).andReturn().getResponse());

        mvc.perform(delete("/models/" + model))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(409))
                .andExpect(jsonPath("$.detail", allOf(containsString("Model '" + model + "' cannot be deleted"),
                        containsString("2 queued or running jobs"), containsString(first), containsString(second),
                        containsString("cancel"))));

        mvc.perform(post("/jobs/" + first + "/cancel")).andExpect(status().isOk());
        mvc.perform(delete("/models/" + model))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", allOf(containsString("job " + second), not(containsString(first)),
                        containsString("POST /jobs/" + second + "/cancel"))));
        mvc.perform(get("/models/" + model)).andExpect(status().isOk());

        assertSucceeds(second);
        mvc.perform(delete("/models/" + model)).andExpect(status().isNoContent());
        mvc.perform(get("/models/" + model)).andExpect(status().isNotFound());
    }

    private record Race(MockHttpServletResponse train, MockHttpServletResponse delete) {
    }

    /** Sends both requests from two threads released together. */
    private Race race(RequestBuilder train, RequestBuilder delete) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<MockHttpServletResponse> trained = pool.submit(() -> {
            start.await();
            return mvc.perform(train).andReturn().getResponse();
        });
        Future<MockHttpServletResponse> deleted = pool.submit(() -> {
            start.await();
            return mvc.perform(delete).andReturn().getResponse();
        });
        return new Race(trained.get(), deleted.get());
    }

    /** Runs the queued job here, as a worker would, and expects it to train to the end. */
    private void assertSucceeds(String jobId) {
        Claim claim = queue.claim("delete-race-test").orElseThrow();
        assertThat(claim.job().id()).isEqualTo(jobId);
        JobRow job = claim.job();
        runner.run(claim, LiveJob.claimed(job, claim.token()));
        JobRow ended = jobs.find(jobId).orElseThrow();
        assertThat(ended.status()).as("job %s: %s", jobId, ended.error()).isEqualTo(JobStatus.SUCCEEDED);
    }

    private static MockHttpServletRequestBuilder train(String body) {
        return post("/train").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private String uploadDataset() throws Exception {
        StringBuilder features = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            features.append(i == 0 ? "" : ", ").append('[').append(i % 2 * 3 + i * 0.01).append(", ").append(i)
                    .append(']');
            labels.append(i == 0 ? "" : ", ").append(i % 2);
        }
        MockHttpServletResponse created = mvc.perform(post("/datasets").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"features\": [" + features + "], \"labels\": [" + labels + "]}"))
                .andExpect(status().isCreated()).andReturn().getResponse();
        return JSON.readTree(created.getContentAsString()).get("id").stringValue();
    }

    private String exampleModel() throws Exception {
        return mvc.perform(get("/models/iris-example/export")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
    }

    private String importModel(String export) throws Exception {
        MockHttpServletResponse created = mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON)
                .content(export)).andExpect(status().isCreated()).andReturn().getResponse();
        return JSON.readTree(created.getContentAsString()).get("id").stringValue();
    }

    private static String jobId(MockHttpServletResponse accepted) throws Exception {
        return JSON.readTree(accepted.getContentAsString()).get("id").stringValue();
    }

    private static String detail(MockHttpServletResponse problem) throws Exception {
        return JSON.readTree(problem.getContentAsString()).get("detail").stringValue();
    }

    /** The messages of the 400's errors for one field, joined. */
    private static String field(MockHttpServletResponse problem, String name) throws Exception {
        StringBuilder messages = new StringBuilder();
        for (JsonNode error : JSON.readTree(problem.getContentAsString()).get("errors")) {
            if (name.equals(error.get("field").stringValue())) {
                messages.append(error.get("message").stringValue()).append('\n');
            }
        }
        return messages.toString();
    }
}
