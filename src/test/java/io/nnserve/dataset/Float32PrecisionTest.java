package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.nnserve.system.InvalidInputException;

/**
 * Datasets are stored as float32: an upload whose feature would lose its variation to that rounding is refused,
 * naming the column and what to do; ordinary data, large or small, passes.
 */
class Float32PrecisionTest {

    /** Column a: 1e8 + class + noise (separable, but float32 steps by 8 there); column b: ordinary values. */
    private static String timestampLike(int rows, double offset) {
        SplittableRandom random = new SplittableRandom(1);
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int r = 0; r < rows; r++) {
            int y = r % 3;
            csv.append(String.format(Locale.ROOT, "%.8f,%.6f,%d%n", offset + y + random.nextDouble(-0.3, 0.3),
                    random.nextGaussian(), y));
        }
        return csv.toString();
    }

    private static NewDataset csv(String text) throws IOException {
        return new CsvDatasetParser(SizeLimits.of(TestLimits.defaults())).parse(new StringReader(text), "t", null, null, false);
    }

    @Test
    void aColumnWhoseVariationFloat32WouldEraseIsRefusedByName() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> csv(timestampLike(60, 1e8)));
        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).field()).isEqualTo("column 1 ('a')");
        assertThat(e.problems().get(0).message()).contains("float32", "Subtract an offset near 100000001");
    }

    @Test
    void theSameColumnAroundZeroPasses() throws IOException {
        assertThat(csv(timestampLike(60, 0)).rows()).isEqualTo(60);
        // and around a magnitude float32 still resolves: steps of 1/128 at 1e4, 1% of a spread of 0.8
        assertThat(csv(timestampLike(60, 1e4)).rows()).isEqualTo(60);
    }

    @Test
    void jsonUploadsAreCheckedAlike() {
        String json = "{\"name\": \"t\", \"features\": [[100000000.1, 1], [100000001.2, 2], [100000002.3, 3]],"
                + " \"labels\": [0, 1, 0]}";
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> new JsonDatasetParser(TestLimits.defaults()).parse(
                        new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null, null));
        assertThat(e).isNotNull();
        assertThat(e.problems().get(0).field()).isEqualTo("features[*][0]");
    }

    @Test
    void wideRangesAndTinyValuesWithTheirOwnSpreadPass() {
        Float32Precision precision = new Float32Precision();
        for (int i = 0; i < 100; i++) {
            precision.add(0, 1e30 * i);          // huge, with a huge spread
            precision.add(1, 1e-30 * (i % 7));   // tiny, with a tiny spread (normal float32 range)
            precision.add(2, 5.1);               // constant: nothing to lose
            precision.add(3, 0.1 * i + 0.05);    // decimals that float32 cannot hold exactly
        }
        assertThat(precision.damaged()).isEmpty();
        precision.add(4, 1e-44);                 // subnormal in float32: a few bits left
        precision.add(4, 3e-44);
        precision.add(4, 2e-44);
        assertThat(precision.damaged()).extracting(Float32Precision.Damaged::column).containsExactly(4);
    }
}
