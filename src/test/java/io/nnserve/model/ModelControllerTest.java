package io.nnserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Preprocessing;
import io.nnserve.support.MockMvcTraining;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@SpringBootTest
@AutoConfigureMockMvc
class ModelControllerTest {

    static final JsonMapper JSON = JsonMapper.shared();

    @Autowired
    MockMvc mvc;
    @Autowired
    ModelService models;
    @Autowired
    JdbcClient jdbc;

    static NewModel trained(String jobId, long seed) {
        NetworkParameters p = WeightsFormatTest.randomParameters(4, 5, 3, seed);
        return new NewModel(jobId, "iris", "Iris flowers", p, "softmax", WeightsFormatTest.standardize(4, seed),
                List.of("setosa", "versicolor", "virginica"), Map.of("hiddenSize", 5, "learningRate", 0.05),
                0.96, 0.93, seed, "float64");
    }

    String exampleJson() throws Exception {
        return mvc.perform(get("/models/iris-example/export")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
    }

    long modelCount() {
        return jdbc.sql("SELECT COUNT(*) FROM models").query(Long.class).single();
    }

    @Test
    void theBuiltInExampleModelIsThereOnAFreshStart() throws Exception {
        mvc.perform(get("/models/iris-example"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value("iris-example"))
                .andExpect(jsonPath("$.architecture").value("4-8-3"))
                .andExpect(jsonPath("$.inputSize").value(4))
                .andExpect(jsonPath("$.hiddenSize").value(8))
                .andExpect(jsonPath("$.numClasses").value(3))
                .andExpect(jsonPath("$.loss").value("softmax"))
                .andExpect(jsonPath("$.preprocessing").value("standardize"))
                .andExpect(jsonPath("$.classNames[2]").value("virginica"))
                .andExpect(jsonPath("$.datasetId").value("iris"))
                .andExpect(jsonPath("$.seed").value(7))
                .andExpect(jsonPath("$.precision").value("float64"))
                .andExpect(jsonPath("$.trainAccuracy").value(0.98))
                .andExpect(jsonPath("$.hyperparameters.updateRule").value("adam"))
                .andExpect(jsonPath("$.createdAt").isNotEmpty());
    }

    @Test
    void aRegisteredModelShowsEveryField() throws Exception {
        String id = models.register(trained("job-fields", 11));

        mvc.perform(get("/models/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(id))
                .andExpect(jsonPath("$.architecture").value("4-5-3"))
                .andExpect(jsonPath("$.jobId").value("job-fields"))
                .andExpect(jsonPath("$.datasetId").value("iris"))
                .andExpect(jsonPath("$.datasetName").value("Iris flowers"))
                .andExpect(jsonPath("$.classNames", hasSize(3)))
                .andExpect(jsonPath("$.trainAccuracy").value(0.96))
                .andExpect(jsonPath("$.valAccuracy").value(0.93))
                .andExpect(jsonPath("$.seed").value(11))
                .andExpect(jsonPath("$.hyperparameters.hiddenSize").value(5))
                .andExpect(jsonPath("$.hyperparameters.learningRate").value(0.05));
    }

    @Test
    void listIsNewestFirst() throws Exception {
        String older = models.register(trained("job-list-1", 1));
        Thread.sleep(5);
        String newer = models.register(trained("job-list-2", 2));

        String body = mvc.perform(get("/models")).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].id", hasItem("iris-example")))
                .andReturn().getResponse().getContentAsString();
        List<String> ids = JSON.readTree(body).valueStream().map(n -> n.get("id").asString()).toList();
        assertThat(ids.indexOf(newer)).isLessThan(ids.indexOf(older));
        mvc.perform(get("/models").param("limit", "1")).andExpect(jsonPath("$", hasSize(1)));
    }

    @Test
    void listParametersAreChecked() throws Exception {
        mvc.perform(get("/models").param("limit", "0")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("limit"));
        mvc.perform(get("/models").param("offset", "-1")).andExpect(status().isBadRequest());
        mvc.perform(get("/models").param("limit", "many")).andExpect(status().isBadRequest());
    }

    @Test
    void unknownAndMalformedIdsAre404ProblemJson() throws Exception {
        for (String id : List.of("no-such-model", "a$b", "x".repeat(65), "%2e%2e")) {
            mvc.perform(get("/models/" + id))
                    .andExpect(status().isNotFound())
                    .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                    .andExpect(jsonPath("$.status").value(404))
                    .andExpect(jsonPath("$.detail", containsString("does not exist")));
        }
        mvc.perform(get("/models/no-such-model/export")).andExpect(status().isNotFound());
        mvc.perform(delete("/models/no-such-model")).andExpect(status().isNotFound());
    }

    @Test
    void deleteAnswers204ThenTheModelIsGoneEverywhere() throws Exception {
        String id = models.register(trained("job-delete", 3));
        assertThat(models.parameters(id)).isPresent();

        mvc.perform(delete("/models/" + id)).andExpect(status().isNoContent());

        mvc.perform(get("/models/" + id)).andExpect(status().isNotFound());
        mvc.perform(get("/models/" + id + "/export")).andExpect(status().isNotFound());
        mvc.perform(delete("/models/" + id)).andExpect(status().isNotFound());
        assertThat(models.parameters(id)).isEmpty();
    }

    @Test
    void exportIsThePortableFormatWithTheExactWeights() throws Exception {
        String id = models.register(trained("job-export", 4));
        NetworkParameters p = trained("job-export", 4).parameters();
        Preprocessing pre = trained("job-export", 4).preprocessing();

        String body = mvc.perform(get("/models/" + id + "/export"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.format").value("nnserve-model"))
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.inputSize").value(4))
                .andExpect(jsonPath("$.hiddenSize").value(5))
                .andExpect(jsonPath("$.numClasses").value(3))
                .andExpect(jsonPath("$.classNames[0]").value("setosa"))
                .andExpect(jsonPath("$.loss").value("softmax"))
                .andExpect(jsonPath("$.precision").value("float64"))
                .andExpect(jsonPath("$.preprocessing.kind").value("standardize"))
                .andExpect(jsonPath("$.W1", hasSize(4)))
                .andExpect(jsonPath("$.W1[0]", hasSize(5)))
                .andExpect(jsonPath("$.b1", hasSize(5)))
                .andExpect(jsonPath("$.W2", hasSize(5)))
                .andExpect(jsonPath("$.W2[0]", hasSize(3)))
                .andExpect(jsonPath("$.b2", hasSize(3)))
                .andReturn().getResponse().getContentAsString();

        JsonNode doc = JSON.readTree(body);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                assertThat(doc.get("W1").get(i).get(j).doubleValue()).isEqualTo(p.w1()[i * 5 + j]);
            }
        }
        for (int j = 0; j < 5; j++) {
            for (int k = 0; k < 3; k++) {
                assertThat(doc.get("W2").get(j).get(k).doubleValue()).isEqualTo(p.w2()[j * 3 + k]);
            }
        }
        assertThat(doc.get("b2").get(2).doubleValue()).isEqualTo(p.b2()[2]);
        assertThat(doc.get("preprocessing").get("offset").get(3).doubleValue()).isEqualTo(pre.offset()[3]);
        assertThat(doc.get("preprocessing").get("scale").get(1).doubleValue()).isEqualTo(pre.scale()[1]);
        assertThat(List.copyOf(doc.propertyNames())).containsExactly("format", "version", "inputSize",
                "hiddenSize", "numClasses", "classNames", "loss", "precision", "preprocessing", "W1", "b1", "W2", "b2");
    }

    @Test
    void importAnswers201WithLocationAndTheModelAndExportsBackTheSameNumbers() throws Exception {
        String original = exampleJson();

        MvcResult created = mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON).content(original))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.id", not("iris-example")))
                .andExpect(jsonPath("$.architecture").value("4-8-3"))
                .andExpect(jsonPath("$.jobId").value(nullValue()))
                .andExpect(jsonPath("$.classNames[1]").value("versicolor"))
                .andReturn();
        String id = JSON.readTree(created.getResponse().getContentAsString()).get("id").asString();
        assertThat(created.getResponse().getHeader("Location")).isEqualTo("/models/" + id);

        String again = mvc.perform(get("/models/" + id + "/export")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(JSON.readTree(again)).isEqualTo(JSON.readTree(original));
        assertThat(models.parameters(id)).isEqualTo(models.parameters("iris-example"));
    }

    static Stream<Arguments> brokenImports() {
        return Stream.of(
                broken("format", d -> d.put("format", "onnx"), "format"),
                broken("version", d -> d.put("version", 2), "version"),
                broken("missing version", d -> d.remove("version"), "version"),
                broken("inputSize 0", d -> d.put("inputSize", 0), "inputSize"),
                broken("hiddenSize 10^9", d -> d.put("hiddenSize", 1_000_000_000), "hiddenSize"),
                broken("W1 rows", d -> ((ArrayNode) d.get("W1")).remove(0), "W1"),
                broken("W1 columns", d -> d.put("hiddenSize", 7), "W1"),
                broken("b1 length", d -> ((ArrayNode) d.get("b1")).add(0.5), "b1"),
                broken("W2 columns", d -> d.put("numClasses", 4), "W2"),
                broken("b2 nested", d -> d.set("b2", JSON.readTree("[[1, 2, 3]]")), "b2"),
                broken("missing W2", d -> d.remove("W2"), "W2"),
                broken("class names count", d -> ((ArrayNode) d.get("classNames")).remove(2), "classNames"),
                broken("duplicate class names", d -> ((ArrayNode) d.get("classNames")).set(2, "setosa"), "classNames[2]"),
                broken("blank class name", d -> ((ArrayNode) d.get("classNames")).set(0, " "), "classNames[0]"),
                broken("loss", d -> d.put("loss", "hinge"), "loss"),
                broken("precision float16", d -> d.put("precision", "float16"), "precision"),
                broken("precision a number", d -> d.put("precision", 32), "precision"),
                broken("preprocessing kind", d -> ((ObjectNode) d.get("preprocessing")).put("kind", "whiten"), "preprocessing.kind"),
                broken("offset length", d -> ((ArrayNode) d.get("preprocessing").get("offset")).remove(0), "preprocessing.offset"),
                broken("zero scale", d -> ((ArrayNode) d.get("preprocessing").get("scale")).set(1, 0.0), "preprocessing.scale[1]"),
                broken("subnormal scale", d -> ((ArrayNode) d.get("preprocessing").get("scale")).set(2, 5e-324), "preprocessing.scale[2]"),
                broken("control character in a class name", d -> ((ArrayNode) d.get("classNames")).set(1, "b\u0000"), "classNames[1]"),
                broken("missing preprocessing", d -> d.remove("preprocessing"), "preprocessing"),
                // kind none is served without preprocessing: a shift or a scale would be stored and then ignored
                broken("kind none with an offset", d -> {
                    ((ObjectNode) d.get("preprocessing")).put("kind", "none");
                    ((ArrayNode) d.get("preprocessing").get("offset")).set(0, 5.0);
                }, "preprocessing"));
    }

    static Arguments broken(String name, java.util.function.Consumer<ObjectNode> change, String field) {
        UnaryOperator<ObjectNode> op = d -> {
            change.accept(d);
            return d;
        };
        return Arguments.of(name, op, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenImports")
    void anInconsistentImportIs400NamingTheFieldAndStoresNothing(String name, UnaryOperator<ObjectNode> change,
                                                                  String field) throws Exception {
        refusedImport(change).andExpect(jsonPath("$.errors[*].field", hasItem(field)));
    }

    /** Imports the example changed by {@code change}: a 400 problem+json that stores nothing. */
    ResultActions refusedImport(UnaryOperator<ObjectNode> change) throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(exampleJson());
        long before = modelCount();

        ResultActions result = mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON)
                        .content(change.apply(doc).toString()))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")));

        assertThat(modelCount()).isEqualTo(before);
        return result;
    }

    static Stream<Arguments> refusedImportsAndTheirFirstProblem() {
        return Stream.of(
                broken("scale 5e-324", d -> ((ArrayNode) d.get("preprocessing").get("scale")).set(0, 5e-324),
                        "preprocessing.scale[0]: is 4.9E-324, too close to 0"),
                broken("scale -1e-309", d -> ((ArrayNode) d.get("preprocessing").get("scale")).set(3, -1e-309),
                        "preprocessing.scale[3]: is -1.0E-309, too close to 0"),
                broken("NUL in a class name", d -> ((ArrayNode) d.get("classNames")).set(1, "b\u0000"),
                        "classNames[1]: the class name 'b\\u0000' contains the control character U+0000 at position 1"),
                broken("a format character in a class name", d -> ((ArrayNode) d.get("classNames")).set(2, "vir\u200Bginica"),
                        "classNames[2]: the class name 'vir\u200Bginica' contains the control character U+200B at position 3"),
                broken("precision float16", d -> d.put("precision", "float16"),
                        "precision: unknown precision 'float16'; use one of: float64, float32"),
                broken("a class name too long", d -> ((ArrayNode) d.get("classNames")).set(0, "x".repeat(201)),
                        "classNames[0]: the class name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is 201 characters long"),
                // an unknown name is echoed cut, as a class name is
                broken("a huge loss", d -> d.put("loss", "x".repeat(500_000)),
                        "loss: unknown loss 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'; use one of: softmax, svm"),
                broken("a huge precision", d -> d.put("precision", "x".repeat(500_000)),
                        "precision: unknown precision 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'; use one of:"),
                broken("a huge preprocessing kind", d -> ((ObjectNode) d.get("preprocessing")).put("kind", "x".repeat(500_000)),
                        "preprocessing.kind: unknown preprocessing 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'; use none,"));
    }

    /** The detail itself says what to fix, the way a dataset upload says it for the same class names. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedImportsAndTheirFirstProblem")
    void aRefusedImportSaysInItsDetailWhatToFix(String name, UnaryOperator<ObjectNode> change,
                                                                 String detail) throws Exception {
        refusedImport(change)
                .andExpect(jsonPath("$.detail", startsWith("The model cannot be imported: " + detail)))
                .andExpect(jsonPath("$.errors", hasSize(1)));
    }

    /** Iris rows, in and around the training range, to compare predictions on. */
    static final double[][] IRIS_ROWS = {{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 2.8, 4.4, 1.3},
            {4.3, 2.0, 1.0, 0.1}, {7.9, 4.4, 6.9, 2.5}, {0.0, 0.0, 0.0, 0.0}, {-3.25, 12.5, 0.125, 100.0}};

    /** One float32 model trained through the API for the tests below (training is the slow part). */
    static String float32Model;

    String float32Model() throws Exception {
        if (float32Model == null) {
            float32Model = MockMvcTraining.trainModel(mvc, "{\"datasetId\": \"iris\", \"epochs\": 5,"
                    + " \"hiddenSize\": 6, \"seed\": 5, \"precision\": \"float32\"}");
        }
        return float32Model;
    }

    String export(String id) throws Exception {
        return mvc.perform(get("/models/" + id + "/export")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
    }

    String importDocument(String doc) throws Exception {
        return JSON.readTree(mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON).content(doc))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString()).get("id").asString();
    }

    /** The scores of {@link #IRIS_ROWS}, as the bits of each double. */
    long[][] scoreBits(String id) throws Exception {
        JsonNode answer = JSON.readTree(mvc.perform(post("/predict").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"modelId\": \"" + id + "\", \"inputs\": " + JSON.writeValueAsString(IRIS_ROWS)
                                + ", \"output\": \"scores\"}"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        long[][] bits = new long[IRIS_ROWS.length][];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = answer.get("predictions").get(i).get("scores").valueStream()
                    .mapToLong(n -> Double.doubleToRawLongBits(n.doubleValue())).toArray();
        }
        return bits;
    }

    /** The outside probe's case: a float32 model came back float64 and predicted up to 2.5e-6 off. */
    @Test
    void aFloat32ModelExportedAndImportedIsFloat32AndPredictsBitForBitTheSame() throws Exception {
        String original = float32Model();
        String exported = export(original);
        assertThat(JSON.readTree(exported).get("precision").asString()).isEqualTo("float32");

        String imported = importDocument(exported);

        mvc.perform(get("/models/" + imported)).andExpect(status().isOk())
                .andExpect(jsonPath("$.precision").value("float32"))
                .andExpect(jsonPath("$.jobId").value(nullValue()));
        assertThat(models.serving(imported).precision()).isEqualTo(io.nnserve.nn.Precision.FLOAT32);
        assertThat(scoreBits(imported)).isDeepEqualTo(scoreBits(original));
        // the export holds no id, so the whole document must come back unchanged
        assertThat(JSON.readTree(export(imported))).isEqualTo(JSON.readTree(exported));
        // and the stored form is the original's too: float32 parameters, float64 preprocessing
        assertThat(storedWeights(imported)).isEqualTo(storedWeights(original));
        models.delete(imported);
    }

    byte[] storedWeights(String id) {
        return jdbc.sql("SELECT weights FROM models WHERE id = ?").param(id).query(byte[].class).single();
    }

    /** The wire names are case-insensitive on import, as everywhere in the API; the model shows the lower-case one. */
    @Test
    void aFloat32ImportMayNameItsPrecisionInAnyCase() throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(export(float32Model()));
        doc.put("precision", "Float32");

        String id = importDocument(doc.toString());

        mvc.perform(get("/models/" + id)).andExpect(jsonPath("$.precision").value("float32"));
        models.delete(id);
    }

    /** Documents written before exports carried a precision, and hand-written ones, are float64 models. */
    @Test
    void anImportWithoutPrecisionIsFloat64() throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(exampleJson());
        doc.remove("precision");

        String id = importDocument(doc.toString());

        mvc.perform(get("/models/" + id)).andExpect(jsonPath("$.precision").value("float64"));
        assertThat(models.serving(id).precision()).isEqualTo(io.nnserve.nn.Precision.FLOAT64);
        assertThat(JSON.readTree(export(id)).get("precision").asString()).isEqualTo("float64");
        models.delete(id);
    }

    /** So is the OpenAPI example, which says so. */
    @Test
    void theOpenApiImportExampleImports() throws Exception {
        String id = importDocument(ModelController.IMPORT_EXAMPLE);

        mvc.perform(get("/models/" + id)).andExpect(jsonPath("$.precision").value("float64"));
        models.delete(id);
    }

    /** A float32 model holds floats: 0.1 is not one, and serving would round it, so the import names it instead. */
    @Test
    void aFloat32ImportWithAWeightThatIsNotAFloatIs400NamingItsPosition() throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(export(float32Model()));
        ((ArrayNode) doc.get("W1").get(2)).set(3, 0.1);
        long before = modelCount();

        mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON).content(doc.toString()))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.detail", startsWith("The model cannot be imported: W1[2][3]: is 0.1, which is"
                        + " not a float32 number (the nearest is 0.10000000149011612)")))
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("W1[2][3]"));

        // the same document as a float64 model is fine: 0.1 is a double
        doc.put("precision", "float64");
        models.delete(importDocument(doc.toString()));
        assertThat(modelCount()).isEqualTo(before);
    }

    /** Each array names its first value that is not a float; preprocessing is float64 and may hold any number. */
    @Test
    void aFloat32ImportListsTheFirstNonFloatOfEachArrayAndLeavesPreprocessingAlone() throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(export(float32Model()));
        ((ArrayNode) doc.get("b1")).set(4, 1e300);
        ((ArrayNode) doc.get("b2")).set(1, 1.0 / 3);
        ((ArrayNode) doc.get("b2")).set(2, 0.2);
        ((ArrayNode) doc.get("preprocessing").get("offset")).set(0, 0.1);

        mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON).content(doc.toString()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", contains("b1[4]", "b2[1]")))
                .andExpect(jsonPath("$.errors[0].message", containsString("beyond the float32 range")));

        ((ArrayNode) doc.get("b1")).set(4, 0.5);
        ((ArrayNode) doc.get("b2")).set(1, 0.25);
        ((ArrayNode) doc.get("b2")).set(2, -0.0);
        String id = importDocument(doc.toString());
        assertThat(JSON.readTree(export(id)).get("preprocessing").get("offset").get(0).doubleValue()).isEqualTo(0.1);
        models.delete(id);
    }

    /** Scales just above where the reciprocal overflows (5.6e-309) import, and so do small, negative and large ones. */
    @Test
    void smallButUsableScalesImport() throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(exampleJson());
        ArrayNode scale = (ArrayNode) doc.get("preprocessing").get("scale");
        scale.set(0, Double.MIN_NORMAL);
        scale.set(1, 5.6e-309);
        scale.set(2, -1e-12);
        scale.set(3, 1e300);

        String created = mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON).content(doc.toString()))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();

        String id = JSON.readTree(created).get("id").asString();
        mvc.perform(get("/models/" + id + "/export")).andExpect(status().isOk())
                .andExpect(jsonPath("$.preprocessing.scale[1]").value(5.6e-309));
        models.delete(id);
    }

    static Stream<Arguments> unreadableImports() {
        return Stream.of(
                Arguments.of("infinite weight", "\"b1\": [1e999,", "only finite numbers"),
                Arguments.of("NaN as a string", "\"b1\": [\"NaN\",", "got a string"),
                Arguments.of("null weight", "\"b1\": [null,", "got null"),
                Arguments.of("boolean weight", "\"b1\": [true,", "got a boolean"),
                Arguments.of("ragged W1", "\"W1\": [[1.0], [", "'W1'[1] has 8 values but 'W1'[0] has 1"),
                Arguments.of("NaN token", "\"b1\": [NaN,", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableImports")
    void nonNumbersWhereNumbersBelongAre400(String name, String replacement, String detail) throws Exception {
        String doc = exampleJson();
        String key = replacement.substring(0, replacement.indexOf(':') + 1);
        int at = doc.indexOf(key);
        String broken = doc.substring(0, at) + replacement + doc.substring(doc.indexOf('[', at) + (replacement.contains("[[") ? 2 : 1));
        long before = modelCount();

        mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON).content(broken))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString(detail)));

        assertThat(modelCount()).isEqualTo(before);
    }

    @Test
    void importNeedsJson() throws Exception {
        mvc.perform(post("/models/import").contentType(MediaType.TEXT_PLAIN).content("W1=1"))
                .andExpect(status().isUnsupportedMediaType());
        mvc.perform(post("/models/import").contentType(MediaType.APPLICATION_JSON).content("{\"format\": "))
                .andExpect(status().isBadRequest());
    }

    @Test
    void aDamagedModelAnswers409AndIsListedInReadinessWithoutTakingItDown() throws Exception {
        String id = models.register(trained("job-damaged", 5));
        byte[] bytes = jdbc.sql("SELECT weights FROM models WHERE id = ?").param(id).query(byte[].class).single();
        bytes[WeightsFormat.HEADER_BYTES + 3] ^= 0x40;
        jdbc.sql("UPDATE models SET weights = ? WHERE id = ?").params(bytes, id).update();

        mvc.perform(get("/models/" + id + "/export"))
                .andExpect(status().isConflict())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.detail", containsString("Model '" + id + "' is damaged")))
                .andExpect(jsonPath("$.detail", containsString("checksum")));
        mvc.perform(get("/models/" + id)).andExpect(status().isOk());
        assertThat(models.parameters("iris-example")).isPresent();

        mvc.perform(get("/actuator/health/readiness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components.models.status").value("UP"))
                .andExpect(jsonPath("$.components.models.details.damagedModels." + id, containsString("checksum")));

        mvc.perform(delete("/models/" + id)).andExpect(status().isNoContent());
        mvc.perform(get("/actuator/health/readiness"))
                .andExpect(jsonPath("$.components.models.details.damagedModels." + id).doesNotExist());
    }

    @Test
    void theStartUpCheckFindsDamageNobodyAskedFor() {
        String id = models.register(trained("job-verify", 6));
        jdbc.sql("UPDATE models SET weights = ? WHERE id = ?").params(new byte[] {1, 2, 3}, id).update();

        assertThat(models.verifyAll()).isGreaterThanOrEqualTo(1);

        assertThat(models.cachedModels()).isGreaterThanOrEqualTo(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> models.serving(id))
                .isInstanceOf(DamagedModelException.class).hasMessageContaining("truncated");
        models.delete(id);
    }

    @Test
    void parametersOfOtherFeaturesAreEmptyForUnknownIds() {
        assertThat(models.parameters("unknown")).isEmpty();
        assertThat(models.parameters("../../etc/passwd")).isEmpty();
        assertThat(models.parameters("iris-example")).hasValueSatisfying(p -> assertThat(p.inputSize()).isEqualTo(4));
    }
}
