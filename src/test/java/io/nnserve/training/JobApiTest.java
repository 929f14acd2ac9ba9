package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.micrometer.core.instrument.MeterRegistry;
import io.nnserve.dataset.DatasetUsage;
import io.nnserve.model.Models;
import io.nnserve.nn.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every training endpoint through the whole stack (H2, the real engine, workers on), with every error case. */
@SpringBootTest
@AutoConfigureMockMvc
class JobApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JsonMapper json;
    @Autowired
    DatasetUsage usage;
    @Autowired
    Models models;
    @Autowired
    MeterRegistry meters;
    @Autowired
    InstanceId instanceId;
    @Autowired
    TrainRequestValidator validator;
    @Autowired
    io.nnserve.system.LimitsProperties limits;

    static final String SMALL = "{\"datasetId\": \"blobs\", \"hiddenSize\": 10, \"epochs\": 3, \"batchSize\": 30, \"seed\": 3, "
            + "\"learningRate\": 0.05}";

    static String blobsId;
    static String largeId;

    /** Uploads the test datasets once per context, through the dataset feature's own endpoint. */
    @BeforeEach
    void uploadDatasets() throws Exception {
        if (blobsId == null) {
            blobsId = upload("blobs", FakeDatasets.blobs(300, 4, 3, 1));
            largeId = upload("large", FakeDatasets.blobs(20_000, 32, 4, 2));
        }
    }

    String upload(String name, Samples samples) throws Exception {
        return upload(name, samples, null);
    }

    /** {@code classNames}: the upload's ?classNames= (a comma-separated list), or null for the parser's own. */
    String upload(String name, Samples samples, String classNames) throws Exception {
        MockHttpServletRequestBuilder request = post("/datasets").param("name", name).contentType("text/csv")
                .content(FakeDatasets.csv(samples));
        if (classNames != null) {
            request.param("classNames", classNames);
        }
        MvcResult result = mvc.perform(request)
                .andExpect(status().isCreated()).andReturn();
        return json.readTree(result.getResponse().getContentAsString()).get("id").stringValue();
    }

    /** The test's bodies name the datasets "blobs" and "large"; the service knows them by their generated ids. */
    static String ids(String body) {
        return body.replace("\"blobs\"", "\"" + blobsId + "\"").replace("\"large\"", "\"" + largeId + "\"");
    }

    static MockHttpServletRequestBuilder trainRequest(String body) {
        return post("/train").contentType(MediaType.APPLICATION_JSON).content(ids(body));
    }

    JsonNode submit(String body) throws Exception {
        MvcResult result = mvc.perform(trainRequest(body))
                .andExpect(status().isAccepted())
                .andReturn();
        JsonNode job = json.readTree(result.getResponse().getContentAsString());
        assertThat(result.getResponse().getHeader("Location")).isEqualTo("/jobs/" + job.get("id").stringValue());
        return job;
    }

    JsonNode job(String id) throws Exception {
        return json.readTree(mvc.perform(get("/jobs/" + id)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString());
    }

    JsonNode awaitEnd(String id) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode job = job(id);
            if (JobStatus.valueOf(job.get("status").stringValue()).isFinal()) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not end in time: " + job(id));
    }

    JsonNode awaitRunning(String id) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode job = job(id);
            if (job.get("status").stringValue().equals("RUNNING") && job.get("iteration").longValue() > 0) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " did not start: " + job(id));
    }

    @Test
    void aJobTrainsToAModelAndReportsItsLossHistory() throws Exception {
        JsonNode queued = submit(SMALL);
        assertThat(queued.get("status").stringValue()).isIn("QUEUED", "RUNNING");
        // 300 rows, 30 held out: 270 / 30 = 9 iterations per epoch.
        assertThat(queued.get("iterations").longValue()).isEqualTo(27);
        assertThat(queued.get("epochs").intValue()).isEqualTo(3);

        JsonNode done = awaitEnd(queued.get("id").stringValue());
        assertThat(done.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(done.get("iteration").longValue()).isEqualTo(27);
        assertThat(done.get("epoch").intValue()).isEqualTo(3);
        assertThat(done.get("progress").doubleValue()).isEqualTo(1.0);
        assertThat(done.get("etaMs").longValue()).isZero();
        assertThat(done.get("bestValAccuracy").doubleValue()).isGreaterThan(0.6);
        assertThat(done.get("error").isNull()).isTrue();
        assertThat(done.get("instance").stringValue()).as("the instance that ran it").isEqualTo(instanceId.value());
        String modelId = done.get("modelId").stringValue();
        assertThat(models.parameters(modelId)).hasValueSatisfying(p -> assertThat(p.hiddenSize()).isEqualTo(10));

        String id = done.get("id").stringValue();
        JsonNode loss = json.readTree(mvc.perform(get("/jobs/" + id + "/loss")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        assertThat(loss.get("jobId").stringValue()).isEqualTo(id);
        assertThat(loss.get("since").longValue()).isZero();
        assertThat(loss.get("loss").size()).isEqualTo(27);
        assertThat(loss.get("epochs").size()).isEqualTo(3);
        assertThat(loss.get("epochs").get(2).get("epoch").intValue()).isEqualTo(3);
        assertThat(loss.get("epochs").get(0).get("valAccuracy").isNumber()).isTrue();
        assertThat(loss.get("loss").get(26).doubleValue()).isEqualTo(done.get("loss").doubleValue());

        mvc.perform(get("/jobs/" + id + "/loss").param("since", "20"))
                .andExpect(header().stringValues("Vary", org.hamcrest.Matchers.hasItem(containsString("Accept"))))
                .andExpect(jsonPath("$.since").value(20))
                .andExpect(jsonPath("$.loss", hasSize(7)))
                .andExpect(jsonPath("$.loss[0]").value(loss.get("loss").get(20).doubleValue()));
        mvc.perform(get("/jobs/" + id + "/loss").param("since", "1000")).andExpect(jsonPath("$.loss", hasSize(0)));

        String csv = mvc.perform(get("/jobs/" + id + "/loss").param("since", "25").accept("text/csv"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andExpect(header().stringValues("Vary", org.hamcrest.Matchers.hasItem(containsString("Accept"))))
                .andReturn().getResponse().getContentAsString();
        assertThat(csv.split("\n")).containsExactly("iteration,loss",
                "25," + loss.get("loss").get(25).doubleValue(), "26," + loss.get("loss").get(26).doubleValue());

        // A finished job cannot be cancelled.
        mvc.perform(post("/jobs/" + id + "/cancel")).andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail", containsString("SUCCEEDED")));
    }

    @Test
    void theEffectiveRequestHasEveryDefault() throws Exception {
        JsonNode job = submit("{\"datasetId\": \"blobs\", \"epochs\": 1}");
        JsonNode r = job.get("request");
        assertThat(r.get("datasetId").stringValue()).isEqualTo(blobsId);
        assertThat(r.get("validationSplit").doubleValue()).isEqualTo(0.1);
        assertThat(r.get("hiddenSize").intValue()).isEqualTo(100);
        assertThat(r.get("loss").stringValue()).isEqualTo("softmax");
        assertThat(r.get("svmMargin").doubleValue()).isEqualTo(1.0);
        assertThat(r.get("regularization").stringValue()).isEqualTo("l2");
        assertThat(r.get("reg").doubleValue()).isEqualTo(1e-4);
        assertThat(r.get("init").stringValue()).isEqualTo("he");
        assertThat(r.get("weightScale").doubleValue()).isEqualTo(0.01);
        assertThat(r.get("updateRule").stringValue()).isEqualTo("adam");
        assertThat(r.get("learningRate").doubleValue()).isEqualTo(0.005);
        assertThat(r.get("momentum").doubleValue()).isEqualTo(0.9);
        assertThat(r.get("lrDecay").doubleValue()).isEqualTo(0.95);
        assertThat(r.get("batchSize").intValue()).isEqualTo(100);
        assertThat(r.get("epochs").intValue()).isEqualTo(1);
        assertThat(r.get("sampling").stringValue()).isEqualTo("shuffle");
        assertThat(r.get("earlyStoppingPatience").intValue()).isZero();
        assertThat(r.get("seed").isIntegralNumber()).isTrue();
        assertThat(r.get("preprocessing").stringValue()).isEqualTo("standardize");
        assertThat(r.get("precision").stringValue()).isEqualTo("float64");
        assertThat(r.get("initialModelId").isNull()).isTrue();
        awaitEnd(job.get("id").stringValue());
    }

    @Test
    void enumNamesAreCaseInsensitiveAndStoredCanonically() throws Exception {
        JsonNode job = submit("{\"datasetId\": \"blobs\", \"epochs\": 1, \"updateRule\": \"SGD\", \"loss\": \"Svm\"}");
        assertThat(job.get("request").get("updateRule").stringValue()).isEqualTo("sgd");
        assertThat(job.get("request").get("learningRate").doubleValue()).isEqualTo(0.2);
        assertThat(job.get("request").get("loss").stringValue()).isEqualTo("svm");
        awaitEnd(job.get("id").stringValue());
    }

    @Test
    void everyFieldProblemIsListedInOneResponse() throws Exception {
        long before = jobCount();
        String body = """
                {"datasetId": "blobs", "validationSplit": 1.5, "hiddenSize": 1000000000, "loss": "hinge",
                 "svmMargin": 0, "regularization": "l3", "reg": -1, "init": "zeros", "weightScale": -0.1,
                 "updateRule": "nesterov", "learningRate": 0, "momentum": 1, "lrDecay": 0, "batchSize": 0,
                 "epochs": 2147483648, "sampling": "random", "earlyStoppingPatience": -1,
                 "preprocessing": "whiten", "precision": "float16", "initialModelId": "../../etc/passwd"}
                """;
        MvcResult result = mvc.perform(trainRequest(body))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andReturn();
        JsonNode problem = json.readTree(result.getResponse().getContentAsString());
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").stringValue()));
        assertThat(fields).contains("validationSplit", "hiddenSize", "loss", "svmMargin", "regularization", "reg",
                "init", "weightScale", "updateRule", "learningRate", "momentum", "lrDecay", "batchSize", "epochs",
                "sampling", "earlyStoppingPatience", "preprocessing", "precision", "initialModelId");
        assertThat(problem.get("errors").toString()).contains("got 2147483647 or more")
                .contains("nnserve.limits.max-hidden-size")
                .contains("nnserve.limits.max-epochs").contains("softmax, svm");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void typesUnknownFieldsAndNonFiniteNumbersAreFieldProblems() throws Exception {
        String body = """
                {"datasetId": 7, "learningRate": "0.1", "epochs": 2.5, "reg": 1e400, "momentum": null,
                 "seed": 1e30, "hidenSize": 10, "loss": ["softmax"]}
                """;
        mvc.perform(trainRequest(body))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[?(@.field == 'datasetId')].message").value("must be a string"))
                .andExpect(jsonPath("$.errors[?(@.field == 'learningRate')].message").value("must be a number"))
                .andExpect(jsonPath("$.errors[?(@.field == 'epochs')].message").value("must be a whole number"))
                .andExpect(jsonPath("$.errors[?(@.field == 'reg')].message").value("must be a finite number"))
                .andExpect(jsonPath("$.errors[?(@.field == 'seed')]").exists())
                .andExpect(jsonPath("$.errors[?(@.field == 'hidenSize')].message", hasSize(1)))
                .andExpect(jsonPath("$.errors[?(@.field == 'loss')].message").value("must be a string"))
                .andExpect(jsonPath("$.errors[?(@.field == 'momentum')]").doesNotExist());
    }

    /** A type error or an unknown field does not hide the problems of the other fields: one 400 lists them all. */
    @Test
    void typeErrorsAndUnknownFieldsComeWithEveryOtherProblem() throws Exception {
        long before = jobCount();
        JsonNode problem = refused("""
                {"datasetId": "nope", "epochs": 0, "hiddenSize": -1, "loss": "x", "learningRate": "a", "foo": 1,
                 "validationDatasetId": 7, "regularization": "l3", "initialModelId": "no-such-model"}
                """);
        assertThat(messages(problem, "foo")).singleElement().asString().startsWith("unknown field");
        assertThat(messages(problem, "learningRate")).containsExactly("must be a number");
        assertThat(messages(problem, "validationDatasetId")).containsExactly("must be a string");
        assertThat(messages(problem, "datasetId")).singleElement().asString().contains("'nope' does not exist");
        assertThat(messages(problem, "epochs")).singleElement().asString().startsWith("must be between 1 and");
        assertThat(messages(problem, "hiddenSize")).singleElement().asString().startsWith("must be between 1 and");
        assertThat(messages(problem, "loss")).containsExactly("unknown loss 'x'; use one of: softmax, svm");
        assertThat(messages(problem, "regularization")).singleElement().asString().startsWith("unknown regularization 'l3'");
        assertThat(messages(problem, "initialModelId")).singleElement().asString().contains("does not exist");
        assertThat(problem.get("errors")).hasSize(9);

        JsonNode unknownField = refused("{\"datasetId\": \"blobs\", \"epochs\": 0, \"foo\": 1}");
        assertThat(messages(unknownField, "foo")).hasSize(1);
        assertThat(messages(unknownField, "epochs")).singleElement().asString().startsWith("must be between 1 and");

        // a field that could not be read gets no other problem, nor does a check that would stand its default in
        JsonNode typesOnly = refused("""
                {"datasetId": 7, "hiddenSize": "big", "epochs": [1], "batchSize": "all", "validationSplit": "half"}
                """);
        assertThat(messages(typesOnly, "datasetId")).containsExactly("must be a string");
        assertThat(messages(typesOnly, "hiddenSize")).containsExactly("must be a whole number");
        assertThat(messages(typesOnly, "epochs")).containsExactly("must be a whole number");
        assertThat(messages(typesOnly, "batchSize")).containsExactly("must be a whole number");
        assertThat(messages(typesOnly, "validationSplit")).containsExactly("must be a number");
        assertThat(typesOnly.get("errors")).hasSize(5);
        assertThat(jobCount()).isEqualTo(before);
    }

    /** An unknown enum value is echoed cut, as dataset and class names are: the 400 names the field and its values. */
    @Test
    void aHugeEnumValueIsEchoedShort() throws Exception {
        String huge = "x".repeat(500_000);
        String cut = "'" + "x".repeat(40) + "...'";
        List<String> fields = List.of("loss", "regularization", "init", "updateRule", "sampling", "preprocessing",
                "precision");
        for (String field : fields) {
            MvcResult result = mvc.perform(trainRequest("{\"datasetId\": \"blobs\", \"" + field + "\": \"" + huge + "\"}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                    .andReturn();
            String text = result.getResponse().getContentAsString();
            assertThat(text.length()).as(field).isLessThan(2_000);
            assertThat(messages(json.readTree(text), field)).as(field).singleElement().asString()
                    .contains(cut).containsPattern("use (one of: )?[a-z0-9]+, ");
        }
        // and with a type error beside it, as it goes through the same check
        JsonNode both = refused("{\"datasetId\": \"blobs\", \"epochs\": \"1\", \"loss\": \"" + huge + "\"}");
        assertThat(messages(both, "loss")).containsExactly("unknown loss " + cut + "; use one of: softmax, svm");
        assertThat(both.toString().length()).isLessThan(2_000);
    }

    /** POST /train with {@code body}: a 400 problem+json, read. */
    private JsonNode refused(String body) throws Exception {
        MvcResult result = mvc.perform(trainRequest(body))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andReturn();
        return json.readTree(result.getResponse().getContentAsString());
    }

    /** The messages of {@code problem}'s errors about {@code field}, in order. */
    private static List<String> messages(JsonNode problem, String field) {
        List<String> messages = new ArrayList<>();
        problem.get("errors").forEach(e -> {
            if (e.get("field").stringValue().equals(field)) {
                messages.add(e.get("message").stringValue());
            }
        });
        return messages;
    }

    @Test
    void datasetsModelsAndSizesAreChecked() throws Exception {
        long before = jobCount();
        mvc.perform(trainRequest("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("datasetId"))
                .andExpect(jsonPath("$.errors[0].message", containsString("required")));
        mvc.perform(trainRequest("{\"datasetId\": \"nope\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message", containsString("does not exist")));
        mvc.perform(trainRequest("{\"datasetId\": \"blobs\", \"validationDatasetId\": \"digits\", \"validationSplit\": 0.2}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[?(@.field == 'validationSplit')].message")
                        .value("give either validationSplit or validationDatasetId, not both"))
                .andExpect(jsonPath("$.errors[?(@.field == 'validationDatasetId')]", hasSize(2)));
        mvc.perform(trainRequest("{\"datasetId\": \"blobs\", \"batchSize\": 271}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("batchSize"))
                .andExpect(jsonPath("$.errors[0].message", containsString("270 training rows")));
        mvc.perform(trainRequest("{\"datasetId\": \"large\", \"batchSize\": 1, \"epochs\": 10000}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("epochs"))
                .andExpect(jsonPath("$.errors[0].message", containsString("nnserve.limits.max-iterations")));
        mvc.perform(trainRequest("{\"datasetId\": \"large\", \"hiddenSize\": 4096, \"batchSize\": 18000}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("hiddenSize"))
                .andExpect(jsonPath("$.errors[0].message", containsString("nnserve.limits.max-job-memory-bytes")));
        mvc.perform(trainRequest("{\"datasetId\": \"blobs\", \"initialModelId\": \"no-such-model\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("initialModelId"));
        mvc.perform(trainRequest("[1, 2]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("body"));
        mvc.perform(trainRequest("{\"datasetId\": "))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/train").contentType(MediaType.TEXT_PLAIN).content("datasetId=blobs"))
                .andExpect(status().isUnsupportedMediaType());
        mvc.perform(get("/train")).andExpect(status().isMethodNotAllowed()).andExpect(header().string("Allow", "POST,OPTIONS"));
        // Allow lists what the path takes: a GET endpoint answers HEAD too, every endpoint OPTIONS
        mvc.perform(post("/jobs")).andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "GET,HEAD,OPTIONS"));
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void aValidationDatasetMustNameTheSameClassesInTheSameOrder() throws Exception {
        Samples samples = FakeDatasets.blobs(60, 4, 3, 7);
        String train = upload("abc", samples, "a,b,c");
        String reversed = upload("cba", samples, "c,b,a");
        String same = upload("abc-again", samples, "a,b,c");
        long before = jobCount();
        mvc.perform(trainRequest("{\"datasetId\": \"" + train + "\", \"validationDatasetId\": \"" + reversed
                        + "\", \"epochs\": 1}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("validationDatasetId"))
                .andExpect(jsonPath("$.errors[0].message", containsString("[\"c\", \"b\", \"a\"]")))
                .andExpect(jsonPath("$.errors[0].message", containsString("[\"a\", \"b\", \"c\"]")))
                .andExpect(jsonPath("$.errors[0].message", containsString("same order")))
                .andExpect(jsonPath("$.errors[0].message", containsString("?classNames=")));
        assertThat(jobCount()).isEqualTo(before);
        String id = submit("{\"datasetId\": \"" + train + "\", \"validationDatasetId\": \"" + same
                + "\", \"epochs\": 1}").get("id").stringValue();
        awaitEnd(id);
    }

    /** Features are matched by position: a validation CSV whose header orders the columns differently is refused. */
    @Test
    void aValidationCsvWithItsColumnsInAnotherOrderIsRefused() throws Exception {
        String train = csvDataset("cols-train", "a,b,c,label\n1,2,3,x\n4,5,6,y\n7,8,9,x\n1,5,9,y\n");
        String swapped = csvDataset("cols-swapped", "b,a,c,label\n2,1,3,x\n5,4,6,y\n");
        String other = csvDataset("cols-other", "p,q,r,label\n1,2,3,x\n4,5,6,y\n");
        String same = csvDataset("cols-same", "a,b,c,label\n1,2,3,x\n4,5,6,y\n");
        mvc.perform(trainRequest("{\"datasetId\": \"" + train + "\", \"validationDatasetId\": \"" + swapped + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("validationDatasetId"))
                .andExpect(jsonPath("$.errors[0].message", containsString("has the feature column \"b\" at position 1,"
                        + " where dataset '" + train + "' has it at 2")));
        // other names (another file's naming) say nothing about the order: matched by position, as documented
        String renamed = json.readTree(mvc.perform(trainRequest("{\"datasetId\": \"" + train
                + "\", \"validationDatasetId\": \"" + other + "\", \"epochs\": 1}")).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString()).get("id").stringValue();
        awaitEnd(renamed);
        // the built-in iris against a copy of its rows under other names: accepted, as before names were kept
        String irisRenamed = csvDataset("iris-renamed", "sl,sw,pl,pw,species\n5.1,3.5,1.4,0.2,setosa\n"
                + "7.0,3.2,4.7,1.4,versicolor\n6.3,3.3,6.0,2.5,virginica\n");
        mvc.perform(trainRequest("{\"datasetId\": \"iris\", \"validationDatasetId\": \"" + irisRenamed
                + "\", \"epochs\": 1}")).andExpect(status().isAccepted());
        String ok = json.readTree(mvc.perform(trainRequest("{\"datasetId\": \"" + train + "\", \"validationDatasetId\": \""
                + same + "\", \"epochs\": 1}")).andExpect(status().isAccepted()).andReturn().getResponse()
                .getContentAsString()).get("id").stringValue();
        awaitEnd(ok);
    }

    private String csvDataset(String name, String csv) throws Exception {
        return json.readTree(mvc.perform(post("/datasets").param("name", name).contentType("text/csv").content(csv))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString()).get("id").stringValue();
    }

    @Test
    void longListsOfClassNamesAreShortenedInMessages() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add("class " + i);
        }
        assertThat(TrainRequestValidator.shortList(many))
                .isEqualTo("[\"class 0\", \"class 1\", \"class 2\", \"class 3\", \"class 4\", \"class 5\", "
                        + "\"class 6\", \"class 7\", \"class 8\", \"class 9\", ... (25 in all)]");
        assertThat(TrainRequestValidator.shortList(List.of("x".repeat(200), "y")))
                .isEqualTo("[\"" + "x".repeat(40) + "...\", \"y\"]");
    }

    @Test
    void anInitialModelMustMatchAndContinuesTraining() throws Exception {
        JsonNode first = awaitEnd(submit(SMALL).get("id").stringValue());
        String modelId = first.get("modelId").stringValue();
        mvc.perform(trainRequest("{\"datasetId\": \"digits\", \"initialModelId\": \"" + modelId + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[?(@.field == 'initialModelId')]", hasSize(2)));
        mvc.perform(trainRequest("{\"datasetId\": \"blobs\", \"hiddenSize\": 11, \"initialModelId\": \"" + modelId + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("hiddenSize"));
        // a fixed seed: the first minibatch is then the same every time (a random one could hold the rows the
        // first model still gets wrong)
        JsonNode next = submit("{\"datasetId\": \"blobs\", \"epochs\": 1, \"seed\": 5, \"initialModelId\": \""
                + modelId + "\"}");
        assertThat(next.get("request").get("hiddenSize").intValue()).isEqualTo(10);
        JsonNode done = awaitEnd(next.get("id").stringValue());
        assertThat(done.get("status").stringValue()).isEqualTo("SUCCEEDED");
        // Starting from trained weights, the very first minibatch loss is already low: about 0.49 after the first
        // job's three short epochs, where a fresh network's is about ln 3 = 1.1 on these three classes.
        JsonNode loss = json.readTree(mvc.perform(get("/jobs/" + done.get("id").stringValue() + "/loss"))
                .andReturn().getResponse().getContentAsString());
        assertThat(loss.get("loss").get(0).doubleValue()).isLessThan(0.75);
        // The continuation keeps the offset and scale its weights were trained with, though its own training split
        // (another seed) would fit others.
        assertThat(next.get("request").get("preprocessing").stringValue()).isEqualTo("standardize");
        assertThat(models.trained(done.get("modelId").stringValue()).orElseThrow().preprocessing())
                .isEqualTo(models.trained(modelId).orElseThrow().preprocessing());
    }

    @Test
    void aContinuedModelKeepsItsPreprocessingAndPrecisionUnlessAskedOtherwise() throws Exception {
        String source = "{\"datasetId\": \"blobs\", \"hiddenSize\": 10, \"epochs\": 3, \"batchSize\": 30, "
                + "\"seed\": 3, \"learningRate\": 0.05, \"preprocessing\": \"none\", \"precision\": \"float32\"}";
        String modelId = awaitEnd(submit(source).get("id").stringValue()).get("modelId").stringValue();
        String continued = "{\"datasetId\": \"blobs\", \"epochs\": 1, \"seed\": 5, \"initialModelId\": \"" + modelId + "\"";

        JsonNode byDefault = submit(continued + "}");
        assertThat(byDefault.get("request").get("preprocessing").stringValue()).isEqualTo("none");
        assertThat(byDefault.get("request").get("precision").stringValue()).isEqualTo("float32");
        JsonNode explicit = submit(continued + ", \"preprocessing\": \"none\", \"precision\": \"float32\"}");
        JsonNode other = submit(continued + ", \"preprocessing\": \"standardize\"}");
        assertThat(other.get("request").get("preprocessing").stringValue()).isEqualTo("standardize");
        assertThat(other.get("request").get("precision").stringValue()).isEqualTo("float32");

        // Same seed, data and weights: the defaults are exactly the model's own settings, down to the first loss
        // (with standardize, the first loss was about 0.77 where the model's own inputs give about 0.25).
        double first = firstLoss(byDefault);
        assertThat(first).isEqualTo(firstLoss(explicit));
        // a kind asked for explicitly is fitted anew: the weights then meet inputs on another scale
        assertThat(firstLoss(other)).isNotEqualTo(first);
        String continuedModel = job(byDefault.get("id").stringValue()).get("modelId").stringValue();
        assertThat(models.trained(continuedModel).orElseThrow().precision().wireName()).isEqualTo("float32");
    }

    private double firstLoss(JsonNode job) throws Exception {
        String id = job.get("id").stringValue();
        assertThat(awaitEnd(id).get("status").stringValue()).isEqualTo("SUCCEEDED");
        return json.readTree(mvc.perform(get("/jobs/" + id + "/loss")).andReturn().getResponse().getContentAsString())
                .get("loss").get(0).doubleValue();
    }

    @Test
    void theDefaultsTrainAGoodModelOnDigits() throws Exception {
        JsonNode done = awaitEnd(submit("{\"datasetId\": \"digits\", \"seed\": 1}").get("id").stringValue());
        assertThat(done.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(done.get("bestValAccuracy").doubleValue()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aDivergingRunFailsWithTheEnginesMessageAndNoModel() throws Exception {
        JsonNode done = awaitEnd(submit("{\"datasetId\": \"large\", \"learningRate\": 1e6, \"updateRule\": \"sgd\", "
                + "\"epochs\": 2, \"seed\": 1}").get("id").stringValue());
        assertThat(done.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(done.get("error").stringValue()).containsIgnoringCase("learning rate");
        assertThat(done.get("modelId").isNull()).isTrue();
        assertThat(done.get("epoch").intValue()).isZero();
    }

    @Test
    void aRunningJobIsCancelledAtTheNextMinibatch() throws Exception {
        String id = submit("{\"datasetId\": \"large\", \"epochs\": 2000, \"batchSize\": 50}").get("id").stringValue();
        awaitRunning(id);
        assertThat(usage.usedBy(largeId)).contains(id);
        mvc.perform(delete("/datasets/" + largeId)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString(id)));
        mvc.perform(post("/jobs/" + id + "/cancel")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.modelId").value(nullValue()));
        JsonNode job = job(id);
        assertThat(job.get("iteration").longValue()).isLessThan(job.get("iterations").longValue());
        // What was trained before the cancel stays readable.
        mvc.perform(get("/jobs/" + id + "/loss"))
                .andExpect(jsonPath("$.loss", hasSize((int) job.get("iteration").longValue())));
        mvc.perform(post("/jobs/" + id + "/cancel")).andExpect(status().isConflict());
        assertThat(usage.usedBy(largeId)).isNull();
    }

    @Test
    void anEndedJobIsDeletedWithItsHistoryAndItsModelStays() throws Exception {
        String body = "{\"datasetId\": \"blobs\", \"hiddenSize\": 10, \"epochs\": 2, \"seed\": 11}";
        String id = json.readTree(mvc.perform(trainRequest(body).header("Idempotency-Key", "delete-me"))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString()).get("id").stringValue();
        String modelId = awaitEnd(id).get("modelId").stringValue();

        mvc.perform(delete("/jobs/" + id)).andExpect(status().isNoContent());
        for (String path : List.of("/jobs/%s", "/jobs/%s/loss", "/jobs/%s/events")) {
            mvc.perform(get(path.formatted(id))).andExpect(status().isNotFound());
        }
        mvc.perform(delete("/jobs/" + id)).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        mvc.perform(get("/models/" + modelId)).andExpect(status().isOk()).andExpect(jsonPath("$.jobId").value(id));
        // the key is free again: the same request is a new job
        String again = json.readTree(mvc.perform(trainRequest(body).header("Idempotency-Key", "delete-me"))
                .andExpect(status().isAccepted()).andExpect(header().doesNotExist("Idempotent-Replayed"))
                .andReturn().getResponse().getContentAsString()).get("id").stringValue();
        assertThat(again).isNotEqualTo(id);
        awaitEnd(again);
    }

    @Test
    void aQueuedOrRunningJobIsNotDeleted() throws Exception {
        String id = submit("{\"datasetId\": \"large\", \"epochs\": 2000, \"batchSize\": 50}").get("id").stringValue();
        awaitRunning(id);
        mvc.perform(delete("/jobs/" + id)).andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail", containsString("/jobs/" + id + "/cancel")));
        assertThat(job(id).get("status").stringValue()).isEqualTo("RUNNING");
        mvc.perform(post("/jobs/" + id + "/cancel")).andExpect(status().isOk());
        mvc.perform(delete("/jobs/" + id)).andExpect(status().isNoContent());
        mvc.perform(delete("/jobs/bad$id")).andExpect(status().isNotFound());
    }

    /**
     * The TrainRequest schema's bounds are the validator's: an inclusive bound is accepted, a value just beyond it
     * and an exclusive bound refused, naming the field. A client generated from the document refuses what the service
     * refuses, and no more.
     */
    @Test
    void theDocumentedBoundsOfTheTrainFieldsAreTheValidatorsBounds() throws Exception {
        JsonNode properties = json.readTree(mvc.perform(get("/v3/api-docs")).andReturn().getResponse()
                .getContentAsString()).at("/components/schemas/TrainRequest/properties");
        Map<String, List<String>> checked = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            String field = property.getKey();
            JsonNode schema = property.getValue();
            boolean integer = schema.path("type").toString().contains("integer");
            for (String side : List.of("minimum", "maximum")) {
                String exclusive = "exclusive" + Character.toUpperCase(side.charAt(0)) + side.substring(1);
                boolean lower = side.equals("minimum");
                if (schema.has(exclusive)) {
                    double bound = schema.get(exclusive).doubleValue();
                    assertThat(problemsOf(field, bound, integer)).as("%s = %s (%s)", field, bound, exclusive).isNotEmpty();
                    checked.computeIfAbsent(field, f -> new ArrayList<>()).add(exclusive);
                } else if (schema.has(side)) {
                    double bound = schema.get(side).doubleValue();
                    double beyond = integer ? bound + (lower ? -1 : 1)
                            : bound + (lower ? -1 : 1) * Math.max(1e-9, Math.abs(bound) * 1e-9);
                    assertThat(problemsOf(field, bound, integer)).as("%s = %s (%s)", field, bound, side).isEmpty();
                    assertThat(problemsOf(field, beyond, integer)).as("%s = %s (beyond %s)", field, beyond, side)
                            .isNotEmpty();
                    checked.computeIfAbsent(field, f -> new ArrayList<>()).add(side);
                }
            }
        }
        assertThat(checked).containsOnlyKeys("validationSplit", "hiddenSize", "svmMargin", "reg", "weightScale",
                "learningRate", "momentum", "lrDecay", "batchSize", "epochs", "earlyStoppingPatience");
        // the configured limits are in the document too
        assertThat(checked.get("hiddenSize")).contains("maximum");
        assertThat(checked.get("epochs")).contains("maximum");
        assertThat(properties.at("/hiddenSize/maximum").intValue()).isEqualTo(limits.maxHiddenSize());
    }

    /** The validator's problems with {@code field} in a request of blobs with that one field set. */
    private List<String> problemsOf(String field, double value, boolean integer) {
        String body = "{\"datasetId\": \"" + blobsId + "\", \"" + field + "\": " + (integer ? Long.toString((long) value)
                : Double.toString(value)) + "}";
        try {
            validator.validate(validator.parse(json.readTree(body)));
            return List.of();
        } catch (io.nnserve.system.InvalidInputException e) {
            return e.problems().stream().filter(p -> p.field().equals(field)).map(p -> p.message()).toList();
        }
    }

    @Test
    void idempotencyKeysReturnTheFirstJob() throws Exception {
        String body = "{\"datasetId\": \"blobs\", \"epochs\": 1, \"seed\": 5}";
        MvcResult first = mvc.perform(trainRequest(body).header("Idempotency-Key", "key-1"))
                .andExpect(status().isAccepted()).andExpect(header().doesNotExist("Idempotent-Replayed")).andReturn();
        String id = json.readTree(first.getResponse().getContentAsString()).get("id").stringValue();
        mvc.perform(trainRequest("{\"seed\": 5, \"epochs\": 1, \"datasetId\": \"blobs\"}").header("Idempotency-Key", "key-1"))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Idempotent-Replayed", "true"))
                .andExpect(header().string("Location", "/jobs/" + id))
                .andExpect(jsonPath("$.id").value(id));
        mvc.perform(trainRequest("{\"datasetId\": \"blobs\", \"epochs\": 2}").header("Idempotency-Key", "key-1"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("different request body")));
        mvc.perform(trainRequest(body).header("Idempotency-Key", "bad key with spaces"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
        // two keys: which retry is meant would be a guess (Spring handed over the first, or both joined by a comma)
        long jobsBefore = json.readTree(mvc.perform(get("/jobs")).andReturn().getResponse().getContentAsString())
                .get("total").longValue();
        mvc.perform(trainRequest(body).header("Idempotency-Key", "key-1", "key-2"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("The Idempotency-Key header is given 2 times; give it once."))
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
        assertThat(json.readTree(mvc.perform(get("/jobs")).andReturn().getResponse().getContentAsString())
                .get("total").longValue()).isEqualTo(jobsBefore);
        awaitEnd(id);
    }

    @Test
    void jobsAreListedNewestFirstInPagesAndByStatus() throws Exception {
        String a = submit("{\"datasetId\": \"blobs\", \"epochs\": 1, \"seed\": 1}").get("id").stringValue();
        Thread.sleep(5);
        String b = submit("{\"datasetId\": \"blobs\", \"epochs\": 1, \"seed\": 2}").get("id").stringValue();
        awaitEnd(a);
        awaitEnd(b);
        JsonNode page = json.readTree(mvc.perform(get("/jobs").param("size", "1")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        assertThat(page.get("jobs").size()).isEqualTo(1);
        assertThat(page.get("size").intValue()).isEqualTo(1);
        assertThat(page.get("total").longValue()).isGreaterThanOrEqualTo(2);
        JsonNode all = json.readTree(mvc.perform(get("/jobs").param("size", "100")).andReturn().getResponse()
                .getContentAsString());
        List<String> ids = new ArrayList<>();
        all.get("jobs").forEach(j -> ids.add(j.get("id").stringValue()));
        assertThat(ids.indexOf(b)).isLessThan(ids.indexOf(a));
        assertThat(page.get("jobs").get(0).get("id").stringValue()).isEqualTo(ids.get(0));
        mvc.perform(get("/jobs").param("status", "succeeded").param("size", "100"))
                .andExpect(jsonPath("$.jobs[?(@.status != 'SUCCEEDED')]", hasSize(0)));
        // page x size beyond int: an empty page, not an overflowed OFFSET
        mvc.perform(get("/jobs").param("page", "21474837").param("size", "100"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobs", hasSize(0)))
                .andExpect(jsonPath("$.total").value(page.get("total").longValue()));
        mvc.perform(get("/jobs").param("status", "DONE").param("page", "-1").param("size", "101"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(3)));
    }

    @Test
    void theOpenApiDocumentDescribesTheTrainingEndpoints() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/train'].post.requestBody.content['application/json'].examples.digits.value.datasetId")
                        .value("digits"))
                .andExpect(jsonPath("$.paths['/jobs'].get").exists())
                .andExpect(jsonPath("$.paths['/jobs/{id}'].get").exists())
                .andExpect(jsonPath("$.paths['/jobs/{id}/loss'].get").exists())
                .andExpect(jsonPath("$.paths['/jobs/{id}/events'].get").exists())
                .andExpect(jsonPath("$.paths['/jobs/{id}/cancel'].post").exists())
                .andExpect(jsonPath("$.paths['/jobs/{id}'].delete.responses['204']").exists())
                .andExpect(jsonPath("$.paths['/jobs/{id}'].delete.responses['409']").exists())
                .andExpect(jsonPath("$.components.schemas.TrainRequest.properties.learningRate").exists())
                .andExpect(jsonPath("$.components.schemas.TrainRequest.required[0]").value("datasetId"));
    }

    @Test
    void unknownAndInvalidJobIdsAre404() throws Exception {
        for (String path : List.of("/jobs/%s", "/jobs/%s/loss", "/jobs/%s/events")) {
            mvc.perform(get(path.formatted("no-such-job"))).andExpect(status().isNotFound())
                    .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
            mvc.perform(get(path.formatted("x".repeat(65)))).andExpect(status().isNotFound());
        }
        mvc.perform(post("/jobs/no-such-job/cancel")).andExpect(status().isNotFound());
        mvc.perform(post("/jobs/bad$id/cancel")).andExpect(status().isNotFound());
        mvc.perform(get("/jobs/no-such-job/loss").param("since", "-1")).andExpect(status().isBadRequest());
    }

    @Test
    void jobMetricsArePublished() throws Exception {
        awaitEnd(submit(SMALL).get("id").stringValue());
        assertThat(meters.find("nnserve.jobs").tag("status", "SUCCEEDED").gauge()).isNotNull();
        assertThat(meters.find("nnserve.jobs.queue.depth").gauge()).isNotNull();
        assertThat(meters.find("nnserve.training.iterations").counter().count()).isGreaterThanOrEqualTo(27);
        assertThat(meters.find("nnserve.training.epoch.duration").timer().count()).isGreaterThanOrEqualTo(3);
        assertThat(meters.find("nnserve.jobs.finished").tag("status", "SUCCEEDED").counter().count()).isPositive();
        // The loss gauge of a job exists only while it runs: its worker removes it just after the job's final write
        long deadline = System.currentTimeMillis() + 10_000;
        while (!meters.find("nnserve.training.loss").gauges().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(meters.find("nnserve.training.loss").gauges()).isEmpty();
    }

    private long jobCount() throws Exception {
        return json.readTree(mvc.perform(get("/jobs")).andReturn().getResponse().getContentAsString()).get("total")
                .longValue();
    }
}
