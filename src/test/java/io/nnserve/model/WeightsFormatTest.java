package io.nnserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.nnserve.model.WeightsFormat.DamagedWeightsException;
import io.nnserve.model.WeightsFormat.ElementType;
import io.nnserve.model.WeightsFormat.StoredWeights;
import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Preprocessing;

class WeightsFormatTest {

    static NetworkParameters randomParameters(int d, int h, int c, long seed) {
        Random random = new Random(seed);
        return new NetworkParameters(d, h, c, gaussian(random, d * h), gaussian(random, h), gaussian(random, h * c),
                gaussian(random, c));
    }

    static double[] gaussian(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    static Preprocessing standardize(int d, long seed) {
        Random random = new Random(seed);
        double[] offset = gaussian(random, d);
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            scale[j] = 0.5 + random.nextDouble();
        }
        return new Preprocessing(Preprocessing.Kind.STANDARDIZE, offset, scale);
    }

    @Test
    void float64RoundTripIsBitExact() throws Exception {
        NetworkParameters p = randomParameters(7, 5, 3, 1);
        Preprocessing pre = standardize(7, 2);

        byte[] bytes = WeightsFormat.encode(p, pre, ElementType.FLOAT64);
        StoredWeights back = WeightsFormat.decode(bytes);

        assertThat(bytes).hasSize(WeightsFormat.HEADER_BYTES + (7 * 5 + 5 + 5 * 3 + 3) * 8 + 2 * 7 * 8 + 32);
        assertThat(back.parameters()).isEqualTo(p);
        assertThat(back.preprocessing()).isEqualTo(pre);
        assertThat(back.elementType()).isEqualTo(ElementType.FLOAT64);
    }

    @Test
    void headerIsLittleEndianWithMagicVersionTypeAndShapes() {
        byte[] bytes = WeightsFormat.encode(randomParameters(7, 5, 3, 1), Preprocessing.none(7), ElementType.FLOAT64);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("NNSW");
        assertThat(in.getShort(4)).isEqualTo((short) 1);
        assertThat(bytes[6]).isEqualTo((byte) 1);
        assertThat(bytes[7]).isEqualTo((byte) 0);
        assertThat(in.getInt(8)).isEqualTo(7);
        assertThat(in.getInt(12)).isEqualTo(5);
        assertThat(in.getInt(16)).isEqualTo(3);
        assertThat(in.getDouble(20)).isEqualTo(randomParameters(7, 5, 3, 1).w1()[0]);
    }

    @Test
    void float32IsChosenOnlyWhenItLosesNothing() throws Exception {
        NetworkParameters doubles = randomParameters(4, 3, 2, 3);
        double[] w1 = doubles.w1().clone();
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) w1[i];
        }
        NetworkParameters floats = new NetworkParameters(4, 3, 2, w1, new double[] {0.5, 1, 2}, new double[6], new double[] {1, -1});

        assertThat(WeightsFormat.losslessType(doubles)).isEqualTo(ElementType.FLOAT64);
        assertThat(WeightsFormat.losslessType(floats)).isEqualTo(ElementType.FLOAT32);
        byte[] bytes = WeightsFormat.encode(floats, Preprocessing.none(4), ElementType.FLOAT32);
        assertThat(WeightsFormat.decode(bytes).parameters()).isEqualTo(floats);
        assertThatThrownBy(() -> WeightsFormat.encode(doubles, Preprocessing.none(4), ElementType.FLOAT32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("round");
    }

    @Test
    void everySingleFlippedByteIsCaught() throws Exception {
        byte[] good = WeightsFormat.encode(randomParameters(3, 2, 2, 4), standardize(3, 5), ElementType.FLOAT64);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            int at = i;
            assertThatThrownBy(() -> WeightsFormat.decode(bad)).as("flipped byte %d", at)
                    .isInstanceOf(DamagedWeightsException.class);
        }
    }

    @Test
    void aFlippedPayloadBitIsReportedAsAChecksumFailure() {
        byte[] bytes = WeightsFormat.encode(randomParameters(3, 2, 2, 4), Preprocessing.none(3), ElementType.FLOAT64);
        bytes[40] ^= 1;

        assertThatThrownBy(() -> WeightsFormat.decode(bytes)).isInstanceOf(DamagedWeightsException.class)
                .hasMessageContaining("SHA-256 checksum");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 51, 100})
    void truncatedBytesAreDamaged(int keep) {
        byte[] bytes = WeightsFormat.encode(randomParameters(3, 2, 2, 4), Preprocessing.none(3), ElementType.FLOAT64);

        assertThatThrownBy(() -> WeightsFormat.decode(Arrays.copyOf(bytes, keep)))
                .isInstanceOf(DamagedWeightsException.class);
    }

    @Test
    void foreignBytesAreRefusedByTheirMarker() {
        assertThatThrownBy(() -> WeightsFormat.decode(new byte[200])).isInstanceOf(DamagedWeightsException.class)
                .hasMessageContaining("marker");
    }

    @Test
    void aNewerVersionIsRefusedByName() {
        byte[] bytes = WeightsFormat.encode(randomParameters(3, 2, 2, 4), Preprocessing.none(3), ElementType.FLOAT64);
        bytes[4] = 2;

        assertThatThrownBy(() -> WeightsFormat.decode(bytes)).isInstanceOf(DamagedWeightsException.class)
                .hasMessageContaining("format version 2").hasMessageContaining("reads version 1");
    }

    @Test
    void checksummedButNonFiniteWeightsAreStillRefused() throws Exception {
        byte[] bytes = WeightsFormat.encode(randomParameters(3, 2, 2, 4), Preprocessing.none(3), ElementType.FLOAT64);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(WeightsFormat.HEADER_BYTES, Double.NaN);
        int end = bytes.length - WeightsFormat.CHECKSUM_BYTES;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(bytes, 0, end);
        System.arraycopy(sha.digest(), 0, bytes, end, WeightsFormat.CHECKSUM_BYTES);

        assertThatThrownBy(() -> WeightsFormat.decode(bytes)).isInstanceOf(DamagedWeightsException.class)
                .hasMessageContaining("not finite");
    }

    @Test
    void preprocessingMustMatchTheInputSize() {
        assertThatThrownBy(() -> WeightsFormat.encode(randomParameters(3, 2, 2, 4), Preprocessing.none(4), ElementType.FLOAT64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 features");
    }
}
