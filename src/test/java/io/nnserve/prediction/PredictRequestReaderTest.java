package io.nnserve.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.nnserve.system.LimitsProperties;
import tools.jackson.databind.json.JsonMapper;

/** The byte-level reader of {@code POST /predict} bodies against Jackson's reading of the same bodies. */
class PredictRequestReaderTest {

    static final JsonMapper JACKSON = JsonMapper.shared();
    final PredictRequestReader reader = new PredictRequestReader(limits(Map.of()));

    /** The limits as the application binds them, some overridden, e.g. {@code Map.of("json-max-nesting-depth", "2")}. */
    static LimitsProperties limits(Map<String, String> overrides) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        overrides.forEach((k, v) -> source.put("nnserve.limits." + k, v));
        return new Binder(source).bindOrCreate("nnserve.limits", LimitsProperties.class);
    }

    PredictRequest fast(String body) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Taken, and read exactly as Jackson reads it: same strings, same shape, the same doubles bit for bit. */
    void assertSameAsJackson(String body) {
        PredictRequest fast = fast(body);
        assertThat(fast).as("taken by the fast reader: %s", body).isNotNull();
        PredictRequest jackson = JACKSON.readValue(body, PredictRequest.class);
        assertThat(fast.modelId()).isEqualTo(jackson.modelId());
        assertThat(fast.output()).isEqualTo(jackson.output());
        assertThat(fast.inputs().shape()).isEqualTo(jackson.inputs().shape());
        double[] expected = jackson.inputs().values();
        double[] actual = fast.inputs().values();
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Double.doubleToRawLongBits(actual[i])).as("value %d of %s", i, body)
                    .isEqualTo(Double.doubleToRawLongBits(expected[i]));
        }
    }

    @Test
    void thePlainFormIsReadAsJacksonReadsIt() {
        assertSameAsJackson("{\"modelId\": \"iris-example\", \"inputs\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]], \"output\": \"both\"}");
        assertSameAsJackson("{\"inputs\":[[0,255,-0,-0.0,1e2,1E-2,2.5e+3]],\"modelId\":\"m\"}");
        assertSameAsJackson(" \r\n\t{ \"output\" : \"scores\" , \"inputs\" : [ [ 1 ] , [ 2 ] ] , \"modelId\" : \"\" } \n");
        assertSameAsJackson("{\"modelId\": \"m\", \"inputs\": [[123456789012345678, -999999999999999999, 1234567890123456789012]]}");
        assertSameAsJackson("{\"modelId\": \"m\", \"inputs\": [[0.1, 0.30000000000000004, 1.7976931348623157e308, 4.9e-324, 2.2250738585072014E-308]]}");
        assertSameAsJackson("{\"modelId\": \"m\", \"inputs\": [[3.141592653589793238462643383279, 1e-22, 1e22, 1e23, 123456789012345.6]]}");
    }

    @Test
    void randomNumbersOfEveryShapeAreTheSameDoublesAsJacksons() {
        Random random = new Random(7);
        for (int doc = 0; doc < 200; doc++) {
            int rows = 1 + random.nextInt(4);
            int cols = 1 + random.nextInt(6);
            StringBuilder body = new StringBuilder("{\"modelId\": \"m\", \"inputs\": [");
            for (int r = 0; r < rows; r++) {
                body.append(r == 0 ? "[" : ", [");
                for (int c = 0; c < cols; c++) {
                    body.append(c == 0 ? "" : ", ").append(randomNumber(random));
                }
                body.append(']');
            }
            assertSameAsJackson(body.append("]}").toString());
        }
    }

    static String randomNumber(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.toString(random.nextInt(256));
            case 1 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 2 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> String.format(Locale.ROOT, "%." + random.nextInt(18) + "f", random.nextDouble() * 100 - 50);
            case 4 -> String.format(Locale.ROOT, "%.6e", random.nextDouble() * Math.pow(10, random.nextInt(600) - 300));
            default -> (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." + random.nextInt(1000)
                    + (random.nextBoolean() ? "" : "e" + (random.nextInt(60) - 30));
        };
    }

    /** Everything that is not the plain form goes to Jackson, which reads it or answers with its own error. */
    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "{}",
        "[]",
        "{\"modelId\": \"m\", \"inputs\": []}",
        "{\"modelId\": \"m\", \"inputs\": [[]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, 2], []]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, 2], [3]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, 2], [3, 4, 5]]}",
        "{\"modelId\": \"m\", \"inputs\": [1, 2]}",
        "{\"modelId\": \"m\", \"inputs\": [[[1]]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, null]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, \"2\"]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, true]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, NaN]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, Infinity]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, -Infinity]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, 1e400]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1, -1e309]]}",
        "{\"modelId\": \"m\", \"inputs\": [[01]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1.]]}",
        "{\"modelId\": \"m\", \"inputs\": [[.5]]}",
        "{\"modelId\": \"m\", \"inputs\": [[+1]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1e]]}",
        "{\"modelId\": \"m\", \"inputs\": [[-]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1x]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1,]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1]],}",
        "{\"modelId\": \"m\", \"inputs\": [[1] [2]]}",
        "{\"modelId\": \"m\", \"inputs\": [[1]]",
        "{\"modelId\": \"m\", \"inputs\": [[1",
        "{\"modelId\": \"m\", \"inputs\": [[1]]} {}",
        "{\"modelId\": \"m\", \"inputs\": [[1]]} x",
        "{\"modelId\": \"m\", \"inputs\": [[1]], \"extra\": 1}",
        "{\"modelId\": \"m\", \"inputs\": [[1]], \"inputs\": [[2]]}",
        "{\"modelId\": \"m\", \"modelId\": \"n\", \"inputs\": [[1]]}",
        "{\"modelId\": \"m\", \"output\": \"scores\", \"output\": \"both\", \"inputs\": [[1]]}",
        "{\"modelId\": null, \"inputs\": [[1]]}",
        "{\"modelId\": \"m\", \"inputs\": null}",
        "{\"modelId\": \"m\", \"inputs\": [[1]], \"output\": null}",
        "{\"modelId\": 5, \"inputs\": [[1]]}",
        "{\"modelId\": \"m\\u0041\", \"inputs\": [[1]]}",
        "{\"model\\u0049d\": \"m\", \"inputs\": [[1]]}",
        "{\"modelId\": \"caf\u00e9\", \"inputs\": [[1]]}",
        "{\"modelId\": \"m\", /* comment */ \"inputs\": [[1]]}",
        "{\"modelId\": \"m\", \"inputs\": [[12345678901234567890123456789012345678901234567890123456789012345]]}",
        "\uFEFF{\"modelId\": \"m\", \"inputs\": [[1]]}",
    })
    void anythingElseIsLeftToJackson(String body) {
        assertThat(fast(body)).isNull();
    }

    @Test
    void bracketsInAStringAfterTheRowsOnlyMakeTheFirstGuessTooLarge() {
        assertSameAsJackson("{\"modelId\": \"m\", \"inputs\": [[1, 2], [3, 4]], \"output\": \"[[[[[[,,,,]]]\"}");
        assertSameAsJackson("{\"inputs\": [[1, 2], [3, 4]], \"modelId\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}");
    }

    @Test
    void bytesAreCountedEightAtATimeAsOneByOne() {
        Random random = new Random(3);
        for (int n = 0; n < 100; n++) {
            byte[] bytes = new byte[random.nextInt(100)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) "[[]x, 1\u00ff".charAt(random.nextInt(8));
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            long expected = 0;
            for (int i = from; i < bytes.length; i++) {
                expected += bytes[i] == '[' ? 1 : 0;
            }
            assertThat(PredictRequestReader.Cursor.count(bytes, from, bytes.length, '[')).isEqualTo(expected);
        }
    }

    @Test
    void aLowNestingLimitLeavesEveryBodyToJackson() {
        assertThat(new PredictRequestReader(limits(Map.of("json-max-nesting-depth", "2"))).read("{\"modelId\": \"m\", \"inputs\": [[1]]}".getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    @Test
    void aLargeRequestIsOneExactArrayOfAllRows() {
        StringBuilder body = new StringBuilder("{\"modelId\": \"m\", \"inputs\": [");
        for (int r = 0; r < 1000; r++) {
            body.append(r == 0 ? "[" : ",[");
            for (int c = 0; c < 50; c++) {
                // rows of very different byte lengths, so any guess from the first row is wrong
                body.append(c == 0 ? "" : ",").append(r % 7 == 0 ? "1" : Integer.toString(r * 1000 + c));
            }
            body.append(']');
        }
        PredictRequest request = fast(body.append("]}").toString());
        assertThat(request.inputs().shape()).containsExactly(1000, 50);
        assertThat(request.inputs().values()).hasSize(50_000);
        assertThat(request.inputs().values()[999 * 50 + 49]).isEqualTo(999_049.0);
        assertSameAsJackson(body.toString());
    }
}
