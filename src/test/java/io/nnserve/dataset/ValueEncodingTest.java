package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ValueEncodingTest {

    private static List<byte[]> chunks(EncodedValues values) {
        List<byte[]> chunks = new ArrayList<>();
        values.forEach(chunks::add);
        return chunks;
    }

    @Test
    void wholeNumbersUpTo255AreStoredAsBytes() {
        ValueBuffer buffer = new ValueBuffer();
        for (int i = 0; i < 300; i++) {
            buffer.add(i % 256);
        }
        EncodedValues encoded = buffer.encoded();
        assertThat(encoded.type()).isEqualTo(ValueType.UINT8);
        assertThat(encoded.count()).isEqualTo(300);
        assertThat(chunks(encoded)).singleElement().satisfies(c -> assertThat(c).hasSize(300));
    }

    @Test
    void anyOtherValueSwitchesToFloat32() {
        for (float odd : new float[] {256, -1, 0.5f, 1e-30f}) {
            ValueBuffer buffer = new ValueBuffer();
            buffer.add(3);
            buffer.add(odd);
            assertThat(buffer.encoded().type()).as("%s", odd).isEqualTo(ValueType.FLOAT32);
        }
    }

    @Test
    void float32RoundTripsBitForBitAcrossBlocksAndChunks() {
        ValueBuffer buffer = new ValueBuffer();
        int n = 2 * ValueType.UINT8.valuesPerChunk() + 12_345; // spans 3 blocks and 9 float32 chunks
        for (int i = 0; i < n; i++) {
            buffer.add(Float.intBitsToFloat(0x3f800000 + i * 97));
        }
        EncodedValues encoded = buffer.encoded();
        List<byte[]> chunks = chunks(encoded);
        assertThat(chunks).hasSize(9);
        assertThat(chunks.get(0)).hasSize(ValueType.CHUNK_BYTES);
        float[] decoded = new float[n];
        int offset = 0;
        for (byte[] chunk : chunks) {
            offset += ValueType.FLOAT32.decode(chunk, decoded, offset);
        }
        assertThat(offset).isEqualTo(n);
        for (int i = 0; i < n; i += 997) {
            assertThat(Float.floatToRawIntBits(decoded[i])).isEqualTo(0x3f800000 + i * 97);
        }
        assertThat(Float.floatToRawIntBits(decoded[n - 1])).isEqualTo(0x3f800000 + (n - 1) * 97);
    }

    @Test
    void float32IsLittleEndian() {
        byte[] chunk = ValueType.FLOAT32.encode(new float[] {1.0f}, 0, 1);
        assertThat(chunk).containsExactly(0, 0, (byte) 0x80, 0x3f);
    }

    @Test
    void unsignedBytesAreSlicedIntoChunks() {
        byte[] pixels = new byte[ValueType.CHUNK_BYTES + 10];
        pixels[ValueType.CHUNK_BYTES + 9] = (byte) 200;
        EncodedValues encoded = EncodedValues.ofUnsignedBytes(pixels);
        List<byte[]> chunks = chunks(encoded);
        assertThat(chunks).extracting(c -> c.length).containsExactly(ValueType.CHUNK_BYTES, 10);
        float[] decoded = new float[pixels.length];
        ValueType.UINT8.decode(chunks.get(1), decoded, ValueType.CHUNK_BYTES);
        assertThat(decoded[ValueType.CHUNK_BYTES + 9]).isEqualTo(200f);
    }
}
