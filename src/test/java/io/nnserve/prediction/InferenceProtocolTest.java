package io.nnserve.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import io.nnserve.model.ModelService;
import io.nnserve.model.NewModel;
import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Preprocessing;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Open Inference Protocol (v2) and KServe v1 endpoints, driven with the protocols' own request shapes. */
@SpringBootTest
@AutoConfigureMockMvc
class InferenceProtocolTest {

    static final JsonMapper JSON = JsonMapper.shared();
    static final String TWO_ROWS_FLAT = "[5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]";
    static final String TWO_ROWS_NESTED = "[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]";

    @Autowired
    MockMvc mvc;
    @Autowired
    ModelService models;
    @Autowired
    JdbcClient jdbc;

    ResultActions infer(String path, String body) throws Exception {
        return mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    static String request(String datatype, String shape, String data, String outputs) {
        return "{\"id\": \"req-42\", \"parameters\": {\"content_type\": \"np\"}, \"inputs\": [{\"name\": \"input\", \"shape\": "
                + shape + ", \"datatype\": \"" + datatype + "\", \"parameters\": {}, \"data\": " + data + "}]"
                + (outputs == null ? "" : ", \"outputs\": " + outputs) + "}";
    }

    /** /predict's answer for the same rows: the reference the protocol outputs must match. */
    JsonNode predict(String rows) throws Exception {
        return JSON.readTree(infer("/predict", "{\"modelId\": \"iris-example\", \"output\": \"both\", \"inputs\": " + rows + "}")
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    static void assertErrorBody(ResultActions result) throws Exception {
        result.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.error").isString())
                .andExpect(jsonPath("$.title").doesNotExist())
                .andExpect(jsonPath("$.type").doesNotExist());
        String body = result.andReturn().getResponse().getContentAsString();
        assertThat(JSON.readTree(body).propertyNames()).containsExactly("error");
    }

    @Test
    void serverMetadataAndHealth() throws Exception {
        mvc.perform(get("/v2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("nnserve"))
                .andExpect(jsonPath("$.version").isString())
                .andExpect(jsonPath("$.extensions", hasSize(0)));
        mvc.perform(get("/v2/health/live")).andExpect(status().isOk()).andExpect(jsonPath("$.live").value(true));
        mvc.perform(get("/v2/health/ready")).andExpect(status().isOk()).andExpect(jsonPath("$.ready").value(true));
    }

    @Test
    void modelMetadataDescribesTheTensors() throws Exception {
        for (String path : List.of("/v2/models/iris-example", "/v2/models/iris-example/versions/1")) {
            mvc.perform(get(path))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.name").value("iris-example"))
                    .andExpect(jsonPath("$.versions", hasSize(1)))
                    .andExpect(jsonPath("$.versions[0]").value("1"))
                    .andExpect(jsonPath("$.platform").value("nnserve"))
                    .andExpect(jsonPath("$.inputs", hasSize(1)))
                    .andExpect(jsonPath("$.inputs[0].name").value("input"))
                    .andExpect(jsonPath("$.inputs[0].datatype").value("FP64"))
                    .andExpect(jsonPath("$.inputs[0].shape[0]").value(-1))
                    .andExpect(jsonPath("$.inputs[0].shape[1]").value(4))
                    .andExpect(jsonPath("$.outputs", hasSize(2)))
                    .andExpect(jsonPath("$.outputs[0].name").value("scores"))
                    .andExpect(jsonPath("$.outputs[0].datatype").value("FP64"))
                    .andExpect(jsonPath("$.outputs[0].shape[1]").value(3))
                    .andExpect(jsonPath("$.outputs[1].name").value("probabilities"))
                    .andExpect(jsonPath("$.outputs[1].shape[0]").value(-1));
        }
    }

    @Test
    void modelReadiness() throws Exception {
        mvc.perform(get("/v2/models/iris-example/ready"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("iris-example"))
                .andExpect(jsonPath("$.ready").value(true));
        mvc.perform(get("/v2/models/iris-example/versions/1/ready")).andExpect(status().isOk());
        assertErrorBody(mvc.perform(get("/v2/models/no-such-model/ready")).andExpect(status().isNotFound()));
    }

    @Test
    void inferWithFlatFp64DataGivesEveryOutputField() throws Exception {
        JsonNode reference = predict(TWO_ROWS_NESTED);

        String body = infer("/v2/models/iris-example/infer", request("FP64", "[2, 4]", TWO_ROWS_FLAT, null))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.model_name").value("iris-example"))
                .andExpect(jsonPath("$.model_version").value("1"))
                .andExpect(jsonPath("$.id").value("req-42"))
                .andExpect(jsonPath("$.outputs", hasSize(2)))
                .andExpect(jsonPath("$.outputs[0].name").value("scores"))
                .andExpect(jsonPath("$.outputs[0].datatype").value("FP64"))
                .andExpect(jsonPath("$.outputs[0].shape[0]").value(2))
                .andExpect(jsonPath("$.outputs[0].shape[1]").value(3))
                .andExpect(jsonPath("$.outputs[0].data", hasSize(6)))
                .andExpect(jsonPath("$.outputs[1].name").value("probabilities"))
                .andExpect(jsonPath("$.outputs[1].datatype").value("FP64"))
                .andExpect(jsonPath("$.outputs[1].shape[1]").value(3))
                .andExpect(jsonPath("$.outputs[1].data", hasSize(6)))
                .andReturn().getResponse().getContentAsString();

        JsonNode answer = JSON.readTree(body);
        assertThat(answer.propertyNames()).containsExactly("model_name", "model_version", "id", "outputs");
        for (int row = 0; row < 2; row++) {
            for (int k = 0; k < 3; k++) {
                JsonNode expected = reference.get("predictions").get(row);
                assertThat(answer.get("outputs").get(0).get("data").get(row * 3 + k).doubleValue())
                        .isEqualTo(expected.get("scores").get(k).doubleValue());
                assertThat(answer.get("outputs").get(1).get("data").get(row * 3 + k).doubleValue())
                        .isEqualTo(expected.get("probabilities").get(k).doubleValue());
            }
        }
    }

    @Test
    void nestedDataAndTheVersionedPathGiveTheSameAnswer() throws Exception {
        String flat = infer("/v2/models/iris-example/infer", request("FP64", "[2, 4]", TWO_ROWS_FLAT, null))
                .andReturn().getResponse().getContentAsString();
        String nested = infer("/v2/models/iris-example/versions/1/infer", request("FP64", "[2, 4]", TWO_ROWS_NESTED, null))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(JSON.readTree(nested)).isEqualTo(JSON.readTree(flat));
    }

    @Test
    void fp32InputIsTakenAsFloats() throws Exception {
        double[] floats = {(float) 5.1, (float) 3.5, (float) 1.4, (float) 0.2};
        JsonNode reference = predict("[[" + floats[0] + ", " + floats[1] + ", " + floats[2] + ", " + floats[3] + "]]");

        String body = infer("/v2/models/iris-example/infer", request("FP32", "[1, 4]", "[5.1, 3.5, 1.4, 0.2]",
                "[{\"name\": \"scores\"}]"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outputs", hasSize(1)))
                .andExpect(jsonPath("$.outputs[0].name").value("scores"))
                .andExpect(jsonPath("$.outputs[0].datatype").value("FP64"))
                .andReturn().getResponse().getContentAsString();

        for (int k = 0; k < 3; k++) {
            assertThat(JSON.readTree(body).get("outputs").get(0).get("data").get(k).doubleValue())
                    .isEqualTo(reference.get("predictions").get(0).get("scores").get(k).doubleValue());
        }
    }

    @Test
    void requestedOutputsComeInTheRequestedOrderAndTheIdIsOptional() throws Exception {
        String body = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP64\", \"data\": [5.1, 3.5, 1.4, 0.2]}],"
                + " \"outputs\": [{\"name\": \"probabilities\", \"parameters\": {\"binary_data\": false}}, {\"name\": \"scores\"}]}";

        infer("/v2/models/iris-example/infer", body)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").doesNotExist())
                .andExpect(jsonPath("$.outputs[0].name").value("probabilities"))
                .andExpect(jsonPath("$.outputs[1].name").value("scores"));
    }

    static Stream<Arguments> badInferRequests() {
        return Stream.of(
                Arguments.of("datatype", request("INT32", "[1, 4]", "[5, 3, 1, 0]", null), "must be FP32 or FP64"),
                Arguments.of("shape rank", request("FP64", "[4]", "[5.1, 3.5, 1.4, 0.2]", null), "must be [rows, inputSize]"),
                Arguments.of("shape vs data", request("FP64", "[2, 4]", "[5.1, 3.5, 1.4, 0.2]", null), "has 4 values, but shape [2, 4] needs 8"),
                Arguments.of("nesting vs shape", request("FP64", "[4, 2]", TWO_ROWS_NESTED, null), "is nested as [2, 4]"),
                Arguments.of("feature count", request("FP64", "[2, 3]", "[1, 2, 3, 4, 5, 6]", null), "expects 4 features per row"),
                // named by its whole path, as the controller's own checks name it
                Arguments.of("string in data", request("FP64", "[1, 4]", "[5.1, \"x\", 1.4, 0.2]", null),
                        "'inputs[0].data'[1] must be a number, got a string"),
                Arguments.of("shape beyond int", request("FP64", "[1, 4294967300]", "[5.1, 3.5, 1.4, 0.2]", null),
                        "each from 1 to 2147483647"),
                Arguments.of("null in data", request("FP64", "[1, 4]", "[5.1, null, 1.4, 0.2]", null), "got null"),
                Arguments.of("unknown output", request("FP64", "[1, 4]", "[5.1, 3.5, 1.4, 0.2]", "[{\"name\": \"logits\"}]"), "got logits"),
                // the binary tensor extension is not spoken: an answer in JSON would be misread as tensor bytes
                Arguments.of("binary output", request("FP64", "[1, 4]", "[5.1, 3.5, 1.4, 0.2]",
                        "[{\"name\": \"scores\", \"parameters\": {\"binary_data\": true}}]"), "binary tensor data"),
                Arguments.of("binary outputs", "{\"parameters\": {\"binary_data_output\": true}, \"inputs\": [{\"name\": \"input\", "
                        + "\"shape\": [1, 4], \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4]}]}", "binary_data_output"),
                Arguments.of("no inputs", "{\"inputs\": []}", "exactly one tensor"),
                Arguments.of("two inputs", "{\"inputs\": [{\"name\": \"a\", \"shape\": [1, 4], \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4]},"
                        + " {\"name\": \"b\", \"shape\": [1, 4], \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4]}]}", "exactly one tensor"),
                Arguments.of("malformed JSON", "{\"inputs\": [", "could not be read"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInferRequests")
    void badInferRequestsAre400WithAnErrorField(String name, String body, String message) throws Exception {
        ResultActions result = infer("/v2/models/iris-example/infer", body).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", containsString(message)));
        assertErrorBody(result);
    }

    /** A datatype or an output name that is not one is echoed cut: the error stays short whatever was sent. */
    @Test
    void aHugeDatatypeOrOutputNameIsEchoedShort() throws Exception {
        String huge = "x".repeat(500_000);
        String cut = "x".repeat(40) + "...";
        ResultActions datatype = infer("/v2/models/iris-example/infer", request(huge, "[1, 4]", "[5.1, 3.5, 1.4, 0.2]", null))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", containsString("'inputs[0].datatype' must be FP32 or FP64, got " + cut)));
        assertErrorBody(datatype);
        assertThat(datatype.andReturn().getResponse().getContentAsString().length()).isLessThan(1_000);
        ResultActions output = infer("/v2/models/iris-example/infer", request("FP64", "[1, 4]", "[5.1, 3.5, 1.4, 0.2]",
                "[{\"name\": \"scores\"}, {\"name\": \"" + huge + "\"}]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", containsString("'outputs[1].name' must be scores or probabilities, got " + cut)));
        assertErrorBody(output);
        assertThat(output.andReturn().getResponse().getContentAsString().length()).isLessThan(1_000);
    }

    static Stream<Arguments> outsideFp32() {
        return Stream.of(
                Arguments.of("flat, first value", "[1, 4]", "[1e39, 3.5, 1.4, 0.2]", "holds 1.0E39 at position 0 (row 0, column 0)"),
                Arguments.of("nested, negative", "[2, 4]", "[[5.1, 3.5, 1.4, 0.2], [6.7, -4e38, 5.2, 2.3]]",
                        "holds -4.0E38 at position 5 (row 1, column 1)"),
                Arguments.of("several", "[2, 4]", "[5.1, 3.5, 1e39, 0.2, 1e300, 3.0, 5.2, -1e300]",
                        "holds 1.0E39 at position 2 (row 0, column 2), outside FP32's range (about ±3.4e38), and 2 more"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outsideFp32")
    void fp32ValuesOutsideItsRangeAre400NamingThePosition(String name, String shape, String data, String message)
            throws Exception {
        assertErrorBody(infer("/v2/models/iris-example/infer", request("FP32", shape, data, null))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", startsWith("'inputs[0].data' ")))
                .andExpect(jsonPath("$.error", containsString(message)))
                .andExpect(jsonPath("$.error", containsString("declare the tensor FP64"))));
    }

    /** The edge of FP32's range is still in it, and FP64 takes what FP32 cannot. */
    @Test
    void fp32TakesItsLargestValuesAndFp64TakesLarger() throws Exception {
        infer("/v2/models/iris-example/infer", request("FP32", "[1, 4]", "[3.4e38, 3.5, -3.4e38, 0.2]", null))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outputs[0].data", hasSize(3)));
        infer("/v2/models/iris-example/infer", request("FP64", "[1, 4]", "[1e39, 3.5, 1.4, 0.2]", null))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outputs[0].data", hasSize(3)));
    }

    @Test
    void overflowingScoresAre400NamingTheRowOnEveryProtocol() throws Exception {
        assertErrorBody(infer("/v2/models/iris-example/infer", request("FP64", "[2, 4]",
                "[5.1, 3.5, 1.4, 0.2, 1e308, 1e308, -1e308, 1e308]", null))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", startsWith("In 'inputs[0]', row 1 gives scores that are not finite numbers")))
                .andExpect(jsonPath("$.error", containsString("too large in magnitude"))));
        assertErrorBody(infer("/v1/models/iris-example:predict", "{\"instances\": [[1e308, 1e308, -1e308, 1e308]]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", startsWith("In 'instances', row 0 gives scores that are not finite numbers")))
                .andExpect(jsonPath("$.error", containsString("too large in magnitude"))));
    }

    @Test
    void unknownModelsAndVersionsAre404WithAnErrorField() throws Exception {
        assertErrorBody(mvc.perform(get("/v2/models/no-such-model")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error").value("model 'no-such-model' does not exist")));
        assertErrorBody(mvc.perform(get("/v2/models/iris-example/versions/2")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error").value("version '2' of model 'iris-example' does not exist")));
        assertErrorBody(infer("/v2/models/no-such-model/infer", request("FP64", "[1, 4]", "[1, 2, 3, 4]", null))
                .andExpect(status().isNotFound()));
        assertErrorBody(infer("/v2/models/iris-example/versions/9/infer", request("FP64", "[1, 4]", "[1, 2, 3, 4]", null))
                .andExpect(status().isNotFound()));
    }

    @Test
    void aBinaryTensorBodyIs415WithAnErrorField() throws Exception {
        assertErrorBody(mvc.perform(post("/v2/models/iris-example/infer").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header("Inference-Header-Content-Length", "10").content(new byte[16]))
                .andExpect(status().isUnsupportedMediaType()));
    }

    @Test
    void onlyJsonBodiesAreTakenAndThe415SaysSo() throws Exception {
        for (String path : List.of("/v2/models/iris-example/infer", "/v2/models/iris-example/versions/1/infer",
                "/v1/models/iris-example:predict")) {
            for (String type : List.of("application/yaml", "text/plain")) {
                assertErrorBody(mvc.perform(post(path).contentType(type).content("instances: [[1, 2, 3, 4]]"))
                        .andExpect(status().isUnsupportedMediaType())
                        .andExpect(jsonPath("$.error", org.hamcrest.Matchers.endsWith(
                                "send one of: application/json, application/*+json."))));
            }
        }
    }

    @Test
    void aDamagedModelIs409WithAnErrorField() throws Exception {
        NetworkParameters p = new NetworkParameters(4, 2, 3, new double[8], new double[2], new double[6], new double[3]);
        String id = models.register(new NewModel("job-oip-damaged", "iris", "iris", p, "softmax", Preprocessing.none(4),
                List.of("a", "b", "c"), Map.of(), null, null, 1L, "float64"));
        jdbc.sql("UPDATE models SET weights = ? WHERE id = ?").params(new byte[60], id).update();

        assertErrorBody(infer("/v2/models/" + id + "/infer", request("FP64", "[1, 4]", "[1, 2, 3, 4]", null))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.error", startsWith("Model '" + id + "' is damaged"))));
        assertErrorBody(mvc.perform(get("/v2/models/" + id + "/ready")).andExpect(status().isConflict()));
        models.delete(id);
    }

    @Test
    void kserveV1StatusAndPredict() throws Exception {
        JsonNode reference = predict(TWO_ROWS_NESTED);

        mvc.perform(get("/v1/models/iris-example"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("iris-example"))
                .andExpect(jsonPath("$.ready").value(true));
        String body = infer("/v1/models/iris-example:predict", "{\"instances\": " + TWO_ROWS_NESTED + "}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions", hasSize(2)))
                .andExpect(jsonPath("$.predictions[0].label").value(0))
                .andExpect(jsonPath("$.predictions[0].className").value("setosa"))
                .andExpect(jsonPath("$.predictions[1].className").value("virginica"))
                .andExpect(jsonPath("$.predictions[0].probabilities", hasSize(3)))
                .andExpect(jsonPath("$.predictions[0].scores").doesNotExist())
                .andReturn().getResponse().getContentAsString();

        JsonNode answer = JSON.readTree(body);
        assertThat(answer.propertyNames()).containsExactly("predictions");
        for (int row = 0; row < 2; row++) {
            assertThat(answer.get("predictions").get(row).get("probabilities"))
                    .isEqualTo(reference.get("predictions").get(row).get("probabilities"));
        }
        // the protocol's other name for the rows: the same answer
        String asInputs = infer("/v1/models/iris-example:predict", "{\"inputs\": " + TWO_ROWS_NESTED + "}")
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(JSON.readTree(asInputs)).isEqualTo(answer);
    }

    @Test
    void kserveV1ListsEveryStoredModel() throws Exception {
        NetworkParameters p = new NetworkParameters(4, 2, 3, new double[8], new double[2], new double[6], new double[3]);
        String id = models.register(new NewModel("job-v1-list", "iris", "iris", p, "softmax", Preprocessing.none(4),
                List.of("a", "b", "c"), Map.of(), null, null, 1L, "float64"));
        try {
            String body = mvc.perform(get("/v1/models"))
                    .andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString();
            JsonNode answer = JSON.readTree(body);
            assertThat(answer.propertyNames()).containsExactly("models");
            assertThat(answer.get("models").valueStream().map(JsonNode::asString).toList())
                    .contains("iris-example", id);
        } finally {
            models.delete(id);
        }
        assertThat(JSON.readTree(mvc.perform(get("/v1/models")).andReturn().getResponse().getContentAsString())
                .get("models").valueStream().map(JsonNode::asString).toList()).doesNotContain(id);
    }

    @Test
    void kserveV1ErrorsHaveAnErrorField() throws Exception {
        assertErrorBody(infer("/v1/models/no-such-model:predict", "{\"instances\": [[1, 2, 3, 4]]}")
                .andExpect(status().isNotFound()));
        assertErrorBody(infer("/v1/models/iris-example:predict", "{\"instances\": [[1, 2, 3]]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", containsString("expects 4 features per row, but row 0 has 3"))));
        assertErrorBody(infer("/v1/models/iris-example:predict", "{\"instances\": [[1, 2, \"3\", 4]]}")
                .andExpect(status().isBadRequest()));
        assertErrorBody(infer("/v1/models/iris-example:predict", "{}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", containsString("'instances' is required"))));
        assertErrorBody(mvc.perform(get("/v1/models/no-such-model")).andExpect(status().isNotFound()));
        // the rows under both names: which one counts would be a guess
        assertErrorBody(infer("/v1/models/iris-example:predict", "{\"instances\": [[1, 2, 3, 4]], \"inputs\": [[1, 2, 3, 4]]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", containsString("two names for the rows: give one of them"))));
        // a path that matches no endpoint below /v1 or /v2 is a 404 in the protocols' form too
        assertErrorBody(mvc.perform(get("/v2/models/iris-example/no-such-thing")).andExpect(status().isNotFound()));
        assertErrorBody(mvc.perform(get("/v1/nothing")).andExpect(status().isNotFound()));
        // a GET on the predict path is the wrong method there, not a model named "iris-example:predict"
        assertErrorBody(mvc.perform(get("/v1/models/iris-example:predict"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "POST,OPTIONS")));
        // another verb of the protocol is no endpoint here (it matched the status path and was a 405)
        assertErrorBody(infer("/v1/models/iris-example:explain", "{\"instances\": [[1, 2, 3, 4]]}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error", containsString("':predict' only"))));
    }
}
