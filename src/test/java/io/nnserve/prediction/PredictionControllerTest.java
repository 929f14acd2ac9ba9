package io.nnserve.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import io.micrometer.core.instrument.MeterRegistry;
import io.nnserve.model.ModelService;
import io.nnserve.nn.Precision;
import io.nnserve.nn.TwoLayerNet;
import io.nnserve.support.MockMvcTraining;
import io.nnserve.system.LimitsProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class PredictionControllerTest {

    static final JsonMapper JSON = JsonMapper.shared();
    static final double[][] ROWS = {{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 2.8, 4.4, 1.3}};

    @Autowired
    MockMvc mvc;
    @Autowired
    ModelService models;
    @Autowired
    LimitsProperties limits;
    @Autowired
    MeterRegistry meters;

    JsonNode example;

    @BeforeEach
    void exportTheExample() throws Exception {
        example = JSON.readTree(mvc.perform(get("/models/iris-example/export")).andReturn().getResponse().getContentAsString());
    }

    ResultActions predict(String body) throws Exception {
        return mvc.perform(post("/predict").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    JsonNode predictJson(String body) throws Exception {
        return JSON.readTree(predict(body).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    static String rows(double[][] rows) {
        return JSON.writeValueAsString(rows);
    }

    @Test
    void defaultOutputIsProbabilitiesOnlyWithLabelAndClassName() throws Exception {
        predict("{\"modelId\": \"iris-example\", \"inputs\": " + rows(ROWS) + "}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.modelId").value("iris-example"))
                .andExpect(jsonPath("$.predictions", hasSize(3)))
                .andExpect(jsonPath("$.predictions[0].label").value(0))
                .andExpect(jsonPath("$.predictions[0].className").value("setosa"))
                .andExpect(jsonPath("$.predictions[1].className").value("virginica"))
                .andExpect(jsonPath("$.predictions[2].className").value("versicolor"))
                .andExpect(jsonPath("$.predictions[0].probabilities", hasSize(3)))
                .andExpect(jsonPath("$.predictions[0].scores").doesNotExist());
    }

    /**
     * A model trained in float32 is served in float32 (issue 7: stored models keep their precision), and its scores
     * agree with the float64 forward pass of its exported weights to 1e-5.
     */
    @Test
    void aFloat32ModelIsServedInFloat32AndAgreesWithTheFloat64Pass() throws Exception {
        String modelId = MockMvcTraining.trainModel(mvc, "{\"datasetId\": \"iris\", \"epochs\": 5, \"hiddenSize\": 20,"
                + " \"seed\": 3, \"precision\": \"float32\"}");
        mvc.perform(get("/models/" + modelId)).andExpect(jsonPath("$.precision").value("float32"));
        assertThat(models.serving(modelId).precision()).isEqualTo(Precision.FLOAT32);

        JsonNode exported = JSON.readTree(mvc.perform(get("/models/" + modelId + "/export")).andReturn().getResponse()
                .getContentAsString());
        JsonNode answer = predictJson("{\"modelId\": \"" + modelId + "\", \"inputs\": " + rows(ROWS)
                + ", \"output\": \"scores\"}");
        for (int i = 0; i < ROWS.length; i++) {
            double[] expected = ReferenceForward.scores(exported, ROWS[i]);
            for (int k = 0; k < expected.length; k++) {
                double served = answer.get("predictions").get(i).get("scores").get(k).doubleValue();
                assertThat(served).as("row %d class %d", i, k)
                        .isCloseTo(expected[k], within(1e-5 * Math.max(1, Math.abs(expected[k]))));
            }
        }
    }

    @Test
    void scoresOnlyLeavesProbabilitiesOut() throws Exception {
        predict("{\"modelId\": \"iris-example\", \"inputs\": " + rows(ROWS) + ", \"output\": \"scores\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions[0].scores", hasSize(3)))
                .andExpect(jsonPath("$.predictions[0].probabilities").doesNotExist())
                .andExpect(jsonPath("$.predictions[0].label").value(0));
    }

    @Test
    void bothAgreeWithAnIndependentForwardPassOnTheExportedWeights() throws Exception {
        JsonNode answer = predictJson("{\"modelId\": \"iris-example\", \"inputs\": " + rows(ROWS) + ", \"output\": \"both\"}");

        for (int i = 0; i < ROWS.length; i++) {
            JsonNode prediction = answer.get("predictions").get(i);
            double[] expectedScores = ReferenceForward.scores(example, ROWS[i]);
            double[] expectedProbabilities = ReferenceForward.softmax(expectedScores);
            double sum = 0;
            double[] probabilities = new double[3];
            double[] scores = new double[3];
            for (int k = 0; k < 3; k++) {
                scores[k] = prediction.get("scores").get(k).doubleValue();
                probabilities[k] = prediction.get("probabilities").get(k).doubleValue();
                assertThat(scores[k]).isCloseTo(expectedScores[k], within(1e-12));
                assertThat(probabilities[k]).isCloseTo(expectedProbabilities[k], within(1e-12));
                sum += probabilities[k];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-9));
            assertThat(ReferenceForward.argmax(probabilities)).isEqualTo(ReferenceForward.argmax(scores))
                    .isEqualTo(prediction.get("label").intValue());
        }
    }

    @Test
    void predictionsAreTheEnginesOwnForwardPassBitForBit() throws Exception {
        JsonNode answer = predictJson("{\"modelId\": \"iris-example\", \"inputs\": " + rows(ROWS) + ", \"output\": \"both\"}");
        TwoLayerNet net = TwoLayerNet.of(models.parameters("iris-example").orElseThrow());
        double[] x = new double[ROWS.length * 4];
        for (int i = 0; i < ROWS.length; i++) {
            for (int j = 0; j < 4; j++) {
                JsonNode pre = example.get("preprocessing");
                x[i * 4 + j] = (ROWS[i][j] - pre.get("offset").get(j).doubleValue()) / pre.get("scale").get(j).doubleValue();
            }
        }
        double[] scores = net.scores(x, ROWS.length);
        double[] probabilities = TwoLayerNet.softmax(scores, ROWS.length, 3);

        for (int i = 0; i < ROWS.length; i++) {
            for (int k = 0; k < 3; k++) {
                JsonNode prediction = answer.get("predictions").get(i);
                assertThat(prediction.get("scores").get(k).doubleValue()).isEqualTo(scores[i * 3 + k]);
                assertThat(prediction.get("probabilities").get(k).doubleValue()).isEqualTo(probabilities[i * 3 + k]);
            }
        }
    }

    @Test
    void anExportedThenImportedModelPredictsExactlyTheSame() throws Exception {
        String imported = mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON).content(example.toString()))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String id = JSON.readTree(imported).get("id").asString();
        double[][] rows = new double[50][4];
        Random random = new Random(3);
        for (double[] row : rows) {
            for (int j = 0; j < 4; j++) {
                row[j] = 4 + 4 * random.nextDouble();
            }
        }

        JsonNode original = predictJson("{\"modelId\": \"iris-example\", \"output\": \"both\", \"inputs\": " + rows(rows) + "}");
        JsonNode copy = predictJson("{\"modelId\": \"" + id + "\", \"output\": \"both\", \"inputs\": " + rows(rows) + "}");

        assertThat(copy.get("predictions")).isEqualTo(original.get("predictions"));
    }

    @Test
    void manyConcurrentRequestsOnOneModelAllGetTheRightAnswer() throws Exception {
        String body = "{\"modelId\": \"iris-example\", \"inputs\": " + rows(ROWS) + "}";
        String expected = predict(body).andReturn().getResponse().getContentAsString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                answers.add(pool.submit(() -> predict(body).andReturn().getResponse().getContentAsString()));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("wrong feature count", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3]]}",
                        "expects 4 features per row, but row 0 has 3"),
                Arguments.of("ragged rows", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3]]}",
                        "'inputs'[2] has 3 values but 'inputs'[0] has 4"),
                Arguments.of("NaN as a string", "{\"modelId\": \"iris-example\", \"inputs\": [[1, \"NaN\", 3, 4]]}",
                        "'inputs'[0][1] must be a number, got a string"),
                Arguments.of("NaN token", "{\"modelId\": \"iris-example\", \"inputs\": [[1, NaN, 3, 4]]}", "NaN or infinite"),
                Arguments.of("Infinity token", "{\"modelId\": \"iris-example\", \"inputs\": [[1, Infinity, 3, 4]]}", "NaN or infinite"),
                Arguments.of("overflowing number", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 1e400, 4]]}",
                        "'inputs'[0][2] is 1e400; only finite numbers are allowed"),
                Arguments.of("null", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, null]]}", "'inputs'[0][3] must be a number, got null"),
                Arguments.of("a null row", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4], null]}",
                        "'inputs'[1] must be an array, got null"),
                Arguments.of("null as the first row", "{\"modelId\": \"iris-example\", \"inputs\": [null]}",
                        "'inputs'[0] must be a number or an array of numbers, got null"),
                Arguments.of("a number as the model id", "{\"modelId\": 1, \"inputs\": [[1, 2, 3, 4]]}", "'modelId'"),
                Arguments.of("a cut-off body", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4]]",
                        "expected close marker for Object"),
                Arguments.of("boolean", "{\"modelId\": \"iris-example\", \"inputs\": [[true, 2, 3, 4]]}", "got a boolean"),
                Arguments.of("object", "{\"modelId\": \"iris-example\", \"inputs\": [[{}, 2, 3, 4]]}", "got an object"),
                Arguments.of("inputs not an array", "{\"modelId\": \"iris-example\", \"inputs\": \"1,2,3,4\"}", "must be an array of numbers"),
                Arguments.of("a number for the rows", "{\"modelId\": \"iris-example\", \"inputs\": 5}",
                        "'inputs' must be an array of numbers, got a number"),
                Arguments.of("a fraction for the rows", "{\"modelId\": \"iris-example\", \"inputs\": 1.5}",
                        "'inputs' must be an array of numbers, got a number"),
                Arguments.of("no rows", "{\"modelId\": \"iris-example\", \"inputs\": []}", "is empty"),
                Arguments.of("an empty row", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4], []]}",
                        "'inputs'[1] has 0 values but 'inputs'[0] has 4"),
                Arguments.of("a longer row", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4], [1, 2, 3, 4, 5]]}",
                        "'inputs'[1] has 5 values but 'inputs'[0] has 4"),
                Arguments.of("an unknown field", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4]], \"input\": [[1]]}",
                        "Unknown field 'input'"),
                Arguments.of("inputs twice", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4]], \"inputs\": [[1, 2, 3, 4]]}",
                        "'inputs' twice"),
                Arguments.of("a second document", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4]]} {}",
                        "goes on after its first value"),
                Arguments.of("a flat row", "{\"modelId\": \"iris-example\", \"inputs\": [5.1, 3.5, 1.4, 0.2]}", "[[x1, x2, ...]]"),
                Arguments.of("missing inputs", "{\"modelId\": \"iris-example\"}", "'inputs' is required"),
                Arguments.of("missing modelId", "{\"inputs\": [[1, 2, 3, 4]]}", "'modelId' is required"),
                Arguments.of("unknown output", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4]], \"output\": \"logits\"}",
                        "must be probabilities, scores or both, got 'logits'"),
                Arguments.of("malformed JSON", "{\"modelId\": \"iris-example\", \"inputs\": [[1, 2", "could not be read"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputIs400ProblemJsonSayingWhatToFix(String name, String body, String detail) throws Exception {
        predict(body)
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail", containsString(detail)))
                .andExpect(jsonPath("$.detail", not(anyOf(containsString("start marker"), containsString("Source")))));
    }

    /** An unknown output is echoed cut, as the other services cut what they echo. */
    @Test
    void aHugeOutputIsEchoedShort() throws Exception {
        String body = predict("{\"modelId\": \"iris-example\", \"inputs\": [[1, 2, 3, 4]], \"output\": \""
                + "x".repeat(500_000) + "\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("output"))
                .andExpect(jsonPath("$.errors[0].message")
                        .value("must be probabilities, scores or both, got '" + "x".repeat(40) + "...'"))
                .andReturn().getResponse().getContentAsString();
        assertThat(body.length()).isLessThan(1_000);
    }

    @Test
    void rowsWhoseScoresOverflowAre400NamingEachRow() throws Exception {
        String body = "{\"modelId\": \"iris-example\", \"output\": \"both\", \"inputs\": [[5.1, 3.5, 1.4, 0.2],"
                + " [1e308, 1e308, -1e308, 1e308], [6.7, 3.0, 5.2, 2.3], [-1e308, 1e308, 1e308, -1e308]]}";

        predict(body)
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.detail", containsString("In 'inputs', rows 1 and 3 give scores that are not finite")))
                .andExpect(jsonPath("$.detail", containsString("too large in magnitude for model iris-example")))
                .andExpect(jsonPath("$.errors", hasSize(2)))
                .andExpect(jsonPath("$.errors[0].field").value("inputs, row 1"))
                .andExpect(jsonPath("$.errors[1].field").value("inputs, row 3"));
    }

    @Test
    void oneOverflowingRowIsNamedAloneWhateverTheOutput() throws Exception {
        for (String output : List.of("probabilities", "scores", "both")) {
            predict("{\"modelId\": \"iris-example\", \"output\": \"" + output + "\", \"inputs\": [[1e308, 1e308, -1e308, 1e308]]}")
                    .andExpect(status().isBadRequest())
                    .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                    .andExpect(jsonPath("$.detail", containsString("In 'inputs', row 0 gives scores that are not finite")))
                    .andExpect(jsonPath("$.errors[0].field").value("inputs, row 0"));
        }
    }

    @Test
    void manyOverflowingRowsAreCountedBeyondTheTenNamed() throws Exception {
        double[][] rows = new double[15][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {1e308, 1e308, -1e308, 1e308};
        }

        predict("{\"modelId\": \"iris-example\", \"inputs\": " + rows(rows) + "}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("rows 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 5 more give")))
                .andExpect(jsonPath("$.errors", hasSize(10)));
    }

    /** Large inputs whose forward pass stays finite are still answered, with finite numbers only. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("largeButFiniteRows")
    void largeButFiniteInputsStillPredict(String name, double[] row) throws Exception {
        JsonNode prediction = predictJson("{\"modelId\": \"iris-example\", \"output\": \"both\", \"inputs\": "
                + rows(new double[][] {row}) + "}").get("predictions").get(0);

        double[] scores = new double[3];
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            assertThat(prediction.get("scores").get(k).isNumber()).as("score %d", k).isTrue();
            assertThat(prediction.get("probabilities").get(k).isNumber()).as("probability %d", k).isTrue();
            scores[k] = prediction.get("scores").get(k).doubleValue();
            assertThat(scores[k]).isFinite();
            sum += prediction.get("probabilities").get(k).doubleValue();
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
        assertThat(prediction.get("label").intValue()).isEqualTo(ReferenceForward.argmax(scores));
    }

    static Stream<Arguments> largeButFiniteRows() {
        return Stream.of(
                Arguments.of("1e6", new double[] {1e6, -1e6, 1e6, 1e6}),
                Arguments.of("1e100", new double[] {1e100, 3.5, -1e100, 0.2}),
                Arguments.of("1e300", new double[] {1e300, 1e300, 1e300, 1e300}));
    }

    /**
     * The plain body is read by the byte-level reader, the same body with an escape in a string by Jackson: both must
     * give the same answer, to the last bit.
     */
    @Test
    void theFastReaderAndJacksonGiveTheSamePredictions() throws Exception {
        String rows = "[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 2.8, 4.4, 1.3], [0, -0, 1e1, 12345678901234567890]]";
        String plain = predict("{\"modelId\": \"iris-example\", \"inputs\": " + rows + ", \"output\": \"both\"}")
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        String escaped = predict("{\"modelId\": \"iris\\u002dexample\", \"inputs\": " + rows + ", \"output\": \"both\"}")
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(plain).contains("\"probabilities\"").isEqualTo(escaped);
    }

    @Test
    void moreRowsThanTheLimitIs400NamingTheLimit() throws Exception {
        int rows = limits.maxPredictRows() + 1;
        StringBuilder body = new StringBuilder("{\"modelId\": \"iris-example\", \"inputs\": [");
        for (int i = 0; i < rows; i++) {
            body.append(i == 0 ? "" : ",").append("[1,2,3,4]");
        }
        body.append("]}");

        predict(body.toString())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("nnserve.limits.max-predict-rows")))
                .andExpect(jsonPath("$.detail", containsString(String.valueOf(limits.maxPredictRows()))));
    }

    @Test
    void unknownModelIs404() throws Exception {
        predict("{\"modelId\": \"no-such-model\", \"inputs\": [[1, 2, 3, 4]]}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("model 'no-such-model' does not exist"));
        predict("{\"modelId\": \"../../etc/passwd\", \"inputs\": [[1, 2, 3, 4]]}").andExpect(status().isNotFound());
    }

    @Test
    void rowsPerRequestAndTheModelCacheAreMetered() throws Exception {
        long before = meters.get("nnserve.predict.rows").summary().count();
        long timedBefore = meters.get("nnserve.predict.latency").timer().count();
        predict("{\"modelId\": \"iris-example\", \"inputs\": " + rows(ROWS) + "}").andExpect(status().isOk());

        assertThat(meters.get("nnserve.predict.rows").summary().count()).isEqualTo(before + 1);
        assertThat(meters.get("nnserve.predict.latency").timer().count()).isEqualTo(timedBefore + 1);
        assertThat(meters.get("nnserve.model.cache.models").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("nnserve.model.cache").gauge().value()).isGreaterThan(0);
    }

    @Test
    void predictTakesJsonOnly() throws Exception {
        mvc.perform(post("/predict").contentType(MediaType.TEXT_PLAIN).content("1,2,3,4"))
                .andExpect(status().isUnsupportedMediaType());
        mvc.perform(get("/predict")).andExpect(status().isMethodNotAllowed());
    }
}
