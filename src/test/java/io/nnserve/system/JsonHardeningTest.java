package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The strict JSON binding and the parser's constraints, through the MVC stack as a client meets them. */
@SpringBootTest(properties = {"nnserve.limits.json-max-nesting-depth=32", "nnserve.limits.json-max-number-length=40",
        "nnserve.limits.json-max-string-length=1000"})
@AutoConfigureMockMvc
@Import(JsonHardeningTest.EchoController.class)
class JsonHardeningTest {

    enum Kind { FIRST, SECOND }

    /** Optional fields are boxed, as in the API's request records; {@code Nested} has required primitives. */
    record Probe(Integer count, Double rate, Boolean flag, String name, Kind kind, double[] values,
            List<List<Double>> rows, Nested nested) {
    }

    record Nested(int n, double x) {
    }

    @RestController
    static class EchoController {
        @PostMapping("/test/json-probe")
        Probe echo(@RequestBody Probe probe) {
            return probe;
        }

        @PostMapping("/test/json-tree")
        String tree(@RequestBody JsonNode tree) {
            return tree.getNodeType().name();
        }

        @PostMapping("/test/json-text")
        String text(@RequestBody String text) {
            return text;
        }
    }

    @Autowired
    MockMvc mvc;

    private static final String VALID = """
            {"count": 3, "rate": 0.5, "flag": true, "name": "x", "kind": "SECOND", "values": [1, 2.5],
             "rows": [[1, 2], [3, 4]], "nested": {"n": 1, "x": 2}}""";

    @Test
    void aValidBodyIsRead() throws Exception {
        mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.count").value(3))
                .andExpect(jsonPath("$.kind").value("SECOND"))
                .andExpect(jsonPath("$.rows[1][0]").value(3.0));
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("unknown field", "{\"count\": 1, \"epochz\": 5}", "'epochz'"),
                Arguments.of("unknown nested field", "{\"nested\": {\"n\": 1, \"x\": 2, \"y\": 3}}", "'y'"),
                Arguments.of("null for an int", "{\"nested\": {\"n\": null, \"x\": 1}}", "nested.n"),
                Arguments.of("missing int", "{\"nested\": {\"x\": 1}}", "nested.n"),
                Arguments.of("null in a double array", "{\"values\": [1, null]}", "values"),
                Arguments.of("string for a double", "{\"rate\": \"0.5\"}", "rate"),
                Arguments.of("string NaN for a double", "{\"rate\": \"NaN\"}", "rate"),
                Arguments.of("string Infinity in an array", "{\"values\": [1, \"Infinity\"]}", "values"),
                Arguments.of("overflowing double", "{\"rate\": 1e400}", "finite"),
                Arguments.of("overflowing array element", "{\"values\": [1, -1e999]}", "values[1]"),
                Arguments.of("overflowing matrix element", "{\"rows\": [[1, 2], [3, 1e400]]}", "rows[1][1]"),
                Arguments.of("string in a matrix", "{\"rows\": [[1, 2], [3, \"x\"]]}", "rows[1][1]"),
                Arguments.of("empty string for an int", "{\"count\": \"\"}", "count"),
                Arguments.of("float for an int", "{\"count\": 1.5}", "count"),
                Arguments.of("number for a boolean", "{\"flag\": 1}", "flag"),
                Arguments.of("number for an enum", "{\"kind\": 0}", "kind"),
                Arguments.of("NaN literal", "{\"rate\": NaN}", "'rate' is NaN or infinite"),
                Arguments.of("Infinity literal", "{\"rate\": Infinity}", "rate"),
                Arguments.of("NaN literal in a matrix", "{\"rows\": [[1, 2], [3, NaN]]}", "'rows[1][1]' is NaN"),
                // the parser has read 0 and stops at x: the element at fault is the one it read, not the next
                Arguments.of("hexadecimal in a matrix", "{\"rows\": [[1, 2], [3, 0x4]]}", "right after 'rows[1][1]'"),
                Arguments.of("two numbers without a comma", "{\"values\": [1 2]}", "right after 'values[0]'"),
                Arguments.of("int overflow", "{\"count\": 99999999999}", "count"),
                Arguments.of("truncated", "{\"count\": 1, \"rows\": [[1, 2], [3", "end-of-input"),
                Arguments.of("trailing tokens", "{\"count\": 1} {\"count\": 2}", "JSON"),
                // what other JSON dialects allow, said in JSON's terms rather than as a parser feature to enable
                Arguments.of("a block comment", "{\"count\": 1 /* one */}", "JSON has no comments"),
                Arguments.of("a line comment", "{\"count\": 1} // one", "JSON has no comments"),
                Arguments.of("single quotes", "{'count': 1}", "double quotes"),
                Arguments.of("an unquoted name", "{count: 1}", "double quotes"),
                Arguments.of("not JSON", "count=1", "Unrecognized token"),
                Arguments.of("empty body", "", "body"),
                Arguments.of("huge number", "{\"rate\": 1" + "0".repeat(1000) + "}", "number"),
                Arguments.of("huge string", "{\"name\": \"" + "a".repeat(5000) + "\"}", "string"),
                Arguments.of("deep nesting in a typed field",
                        "{\"rows\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}", "rows"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodiesAre400WithoutInternals(String name, String body, String mentioned) throws Exception {
        MvcResult result = mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.title").isString())
                .andReturn();
        String detail = (String) com.jayway.jsonpath.JsonPath.read(result.getResponse().getContentAsString(),
                "$.detail");
        assertThat(detail).containsIgnoringCase(mentioned);
        assertThat(result.getResponse().getContentAsString())
                .doesNotContain("io.nnserve", "java.", "tools.jackson", "Exception", "at [Source", "Feature '",
                        "not enabled for parser");
    }

    @Test
    void deepNestingIsRefusedByTheParserNamingTheLimit() throws Exception {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        mvc.perform(post("/test/json-tree").contentType(MediaType.APPLICATION_JSON).content(deep))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(
                        "nnserve.limits.json-max-nesting-depth")));
        String within = "[".repeat(30) + "]".repeat(30);
        mvc.perform(post("/test/json-tree").contentType(MediaType.APPLICATION_JSON).content(within))
                .andExpect(status().isOk());
    }

    @Test
    void stringsAreReadAndWrittenAsPlainTextAsSpringDoes() throws Exception {
        mvc.perform(post("/test/json-text").contentType(MediaType.APPLICATION_JSON).content("{\"a\": NaN}"))
                .andExpect(status().isOk())
                .andExpect(content().string("{\"a\": NaN}"));
        mvc.perform(post("/test/json-tree").contentType(MediaType.APPLICATION_JSON).content("[1]"))
                .andExpect(status().isOk())
                .andExpect(content().string("ARRAY"));
    }

    @Test
    void fieldErrorsAreListedAndProblemFieldsAreFlat() throws Exception {
        mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content("{\"rate\": true}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("about:blank"))
                .andExpect(jsonPath("$.detail").value("Field 'rate' must be a number, not a boolean."))
                .andExpect(jsonPath("$.errors[0].field").value("rate"))
                .andExpect(jsonPath("$.properties").doesNotExist());
    }

    @Test
    void jsonThatParsesButDoesNotFitIsInvalidInputNotUnreadable() throws Exception {
        mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content("{\"rate\": true}"))
                .andExpect(jsonPath("$.title").value("Invalid input"));
        mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content("{\"epochz\": 1}"))
                .andExpect(jsonPath("$.title").value("Invalid input"));
        mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content("{\"rate\": 1,}"))
                .andExpect(jsonPath("$.title").value("Unreadable request body"));
        mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content("{\"rate\": NaN}"))
                .andExpect(jsonPath("$.title").value("Unreadable request body"));
    }

    @Autowired
    JsonMapper jsonMapper;

    /**
     * The service writes doubles with the fast (shortest round-trip) writer and reads them with the fast parser: every
     * value, random bit patterns, subnormals and JDK 17's long-form cases like 2^-44 included, comes back bit for
     * bit through the service's own mapper, and through {@link Double#parseDouble} as a client would read it.
     */
    @Test
    void doublesSurviveTheRoundTripBitForBit() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            double v = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
            values[i] = Double.isFinite(v) ? v : i;
        }
        values[0] = Math.pow(2, -44);
        values[1] = Double.MIN_VALUE;
        values[2] = Double.MAX_VALUE;
        values[3] = -0.0;
        String text = jsonMapper.writeValueAsString(values);
        assertThat(jsonMapper.readValue(text, double[].class)).isEqualTo(values);
        String[] parts = text.substring(1, text.length() - 1).split(",");
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(parts[i]))).as(parts[i])
                    .isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
        assertThat(parts[0]).isEqualTo("5.684341886080802E-14"); // shortest; Java 17's Double.toString adds a digit
    }
}
