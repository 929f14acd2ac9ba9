package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.nnserve.system.InvalidInputException;
import io.nnserve.system.InvalidInputException.FieldProblem;
import io.nnserve.system.LimitsProperties;

class JsonDatasetParserTest {

    private static NewDataset parse(String json) {
        return parse(json, TestLimits.defaults());
    }

    private static NewDataset parse(String json, LimitsProperties limits) {
        return new JsonDatasetParser(limits).parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), null, null);
    }

    private static InvalidInputException rejected(String json) {
        return rejected(json, TestLimits.defaults());
    }

    private static InvalidInputException rejected(String json, LimitsProperties limits) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> parse(json, limits));
        assertThat(e).as("rejected: " + json).isNotNull();
        return e;
    }

    private static FieldProblem first(String json) {
        return rejected(json).problems().get(0);
    }

    @Test
    void classNamesFromStringLabels() {
        NewDataset d = parse("""
                {"name": "xor", "features": [[0, 0], [0, 1.5], [1, 0], [1, 1]], "labels": ["no", "yes", "yes", "no"]}""");
        assertThat(d.name()).isEqualTo("xor");
        assertThat(d.rows()).isEqualTo(4);
        assertThat(d.features()).isEqualTo(2);
        assertThat(d.classNames()).containsExactly("no", "yes");
        assertThat(d.labels()).containsExactly(0, 1, 1, 0);
        assertThat(ParsedData.values(d)).containsExactly(0, 0, 0, 1.5f, 1, 0, 1, 1);
    }

    @Test
    void indicesWithClassNamesInAnyFieldOrder() {
        NewDataset d = parse("""
                {"classNames": ["off", "on", "unused"], "labels": [2, 0, 1.0], "features": [[1e-3], [-2], [3]]}""");
        assertThat(d.name()).isEqualTo("dataset");
        assertThat(d.classNames()).containsExactly("off", "on", "unused");
        assertThat(d.labels()).containsExactly(2, 0, 1);
        assertThat(ParsedData.values(d)).containsExactly(0.001f, -2, 3);
    }

    @Test
    void indicesWithoutClassNamesAreNamedByNumber() {
        assertThat(parse("{\"features\": [[1], [2], [3]], \"labels\": [0, 2, 1], \"classNames\": null}").classNames())
                .containsExactly("0", "1", "2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
        "[1, 2]|body|expected a JSON object",
        "{\"features\": [[1]], \"labels\": [0], \"extra\": 1}|extra|unknown field 'extra'",
        "{\"features\": [[1]], \"features\": [[1]]}|features|appears twice",
        "{\"features\": [[1], [2]]}|labels|required",
        "{\"labels\": [0, 1]}|features|required",
        "{\"features\": 5, \"labels\": [0]}|features|must be an array of rows",
        "{\"features\": [[1], 5], \"labels\": [0, 1]}|features[1]|is a number, not an array",
        "{\"features\": [[1], [\"a\"]], \"labels\": [0, 1]}|features[1][0]|is a string ('a')",
        "{\"features\": [[1], [null]], \"labels\": [0, 1]}|features[1][0]|is null",
        "{\"features\": [[1], [true]], \"labels\": [0, 1]}|features[1][0]|is a boolean",
        "{\"features\": [[1], [[2]]], \"labels\": [0, 1]}|features[1][0]|is an array",
        "{\"features\": [[1, 2], [3]], \"labels\": [0, 1]}|features[1]|has 1 values but features[0] has 2",
        "{\"features\": [[1], []], \"labels\": [0, 1]}|features[1]|empty",
        "{\"features\": [[1], [1e39]], \"labels\": [0, 1]}|features[1][0]|float32",
        "{\"features\": [[1], [1e400]], \"labels\": [0, 1]}|features[1][0]|float32",
        "{\"features\": [[1], [2]], \"labels\": [0, 0.5]}|labels[1]|not a whole number",
        "{\"features\": [[1], [2]], \"labels\": [0, -1]}|labels[1]|negative",
        "{\"features\": [[1], [2]], \"labels\": [0, 2], \"classNames\": [\"a\", \"b\"]}|labels[1]|outside 0..1",
        "{\"features\": [[1], [2]], \"labels\": [0, \"b\"]}|labels[1]|is a class name but labels[0] is a class index",
        "{\"features\": [[1], [2]], \"labels\": [0, null]}|labels[1]|is null",
        "{\"features\": [[1], [2]], \"labels\": [\"a\", \"c\"], \"classNames\": [\"a\", \"b\"]}|labels[1]|'c' is not one of classNames",
        "{\"features\": [[1], [2]], \"labels\": [1, 1]}|labels|at least 2 classes",
        "{\"features\": [[1], [2]], \"labels\": [\"x\", \"x\"]}|labels|at least 2 classes",
        "{\"features\": [[1], [2]], \"labels\": [0]}|labels|1 labels for 2 rows",
        "{\"features\": [], \"labels\": []}|features|no rows",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"classNames\": [\"a\"]}|classNames|at least 2 classes",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"classNames\": [\"a\", \"a\"]}|classNames[1]|must be distinct",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"classNames\": [\"a\", \"\"]}|classNames[1]|empty",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"classNames\": [\"a\", \"b\\u0000\"]}|classNames[1]|control character U+0000",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"classNames\": [\"a\", \"\\t \"]}|classNames[1]|is blank: it has only white space",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"classNames\": [\"a\", \"b\\ud800\"]}|classNames[1]|U+D800 at position 1, half of a surrogate pair",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"classNames\": [\"a\", 3]}|classNames[1]|not a string",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"classNames\": \"a,b\"}|classNames|must be an array",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"name\": \"\"}|name|empty",
        "{\"features\": [[1], [2]], \"labels\": [0, 1], \"name\": 7}|name|must be a string",
        "{\"features\": [[1], [NaN]], \"labels\": [0, 1]}|body|NaN",
        "{\"features\": [[1], [Infinity]], \"labels\": [0, 1]}|body|not valid JSON at line 1",
        "{\"features\": [[1], [2]], \"labels\": [0, 1]|body|not valid JSON",
        "{\"features\": [[1], [2]], \"labels\": [0, 1]} {}|body|more after the end",
        "|body|the body is empty"})
    void everyProblemNamesWhereAndWhat(String json, String field, String message) {
        FieldProblem problem = first(json == null ? "" : json);
        assertThat(problem.field()).isEqualTo(field);
        assertThat(problem.message()).contains(message);
    }

    @Test
    void manyProblemsAreListedTogether() {
        InvalidInputException e = rejected("""
                {"features": [[1, "x"], [2, 3], [4]], "labels": [0, 1.5, -2]}""");
        assertThat(e.problems()).extracting(FieldProblem::field)
                .containsExactly("features[0][1]", "features[2]", "labels[1]", "labels[2]");
        assertThat(e.getMessage()).contains("and 3 more");
    }

    @Test
    void absurdlyLongName() {
        assertThat(first("{\"features\": [[1], [2]], \"labels\": [0, 1], \"name\": \"" + "n".repeat(201) + "\"}").message())
                .contains("at most 200");
    }

    @Test
    void deepNestingStopsAtTheParserLimit() {
        String deep = "{\"features\": " + "[".repeat(10_000) + "]".repeat(10_000) + ", \"labels\": []}";
        InvalidInputException e = rejected(deep);
        assertThat(e.getMessage()).contains("nnserve.limits.json-max-nesting-depth");
    }

    @Test
    void hugeNumberLiteralStopsAtTheParserLimit() {
        InvalidInputException e = rejected("{\"features\": [[1" + "0".repeat(1000) + "]], \"labels\": [0]}");
        assertThat(e.getMessage()).contains("nnserve.limits.json-max-number-length");
    }

    @Test
    void longStringStopsAtTheParserLimit() {
        InvalidInputException e = rejected("{\"name\": \"" + "n".repeat(100) + "\"}",
                TestLimits.with(Map.of("json-max-string-length", "50")));
        assertThat(e.getMessage()).contains("nnserve.limits.json-max-string-length");
    }

    @Test
    void limits() {
        String json = "{\"features\": [[1, 2], [3, 4], [5, 6]], \"labels\": [0, 1, 0]}";
        assertThat(rejected(json, TestLimits.with(Map.of("max-rows", "2"))).getMessage()).contains("nnserve.limits.max-rows");
        assertThat(rejected(json, TestLimits.with(Map.of("max-features", "1"))).getMessage()).contains("nnserve.limits.max-features");
        assertThat(rejected(json, TestLimits.with(Map.of("max-dataset-values", "5"))).getMessage())
                .contains("nnserve.limits.max-dataset-values");
        assertThat(rejected("{\"features\": [[1]], \"labels\": [0, 1, 2]}", TestLimits.with(Map.of("max-rows", "2"))).getMessage())
                .contains("nnserve.limits.max-rows");
        assertThat(rejected("{\"features\": [[1], [2]], \"labels\": [0, 5]}", TestLimits.with(Map.of("max-classes", "3"))).getMessage())
                .contains("nnserve.limits.max-classes");
        assertThat(rejected("{\"features\": [[1], [2]], \"labels\": [0, 1], \"classNames\": [\"a\", \"b\", \"c\"]}",
                TestLimits.with(Map.of("max-classes", "2"))).getMessage()).contains("nnserve.limits.max-classes");
    }

    @Test
    void aLongRowGrowsItsBuffer() {
        StringBuilder row = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            row.append(i == 0 ? "" : ",").append(i);
        }
        row.append("]");
        NewDataset d = parse("{\"features\": [" + row + "," + row + "], \"labels\": [0, 1]}");
        assertThat(d.features()).isEqualTo(1000);
        assertThat(ParsedData.values(d)[1999]).isEqualTo(999f);
        assertThat(d.values().type()).isEqualTo(ValueType.FLOAT32);
    }
}
