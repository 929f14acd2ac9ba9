package io.nnserve.dataset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How feature values are stored in the database: one byte per value when every value is a whole number 0..255
 * (pixels, counts: a quarter of the space, and exact), otherwise little-endian float32, the engine's own
 * precision. Decoding writes straight into the engine's arrays ({@code byte[]} or {@code float[]}), chunk by chunk.
 */
enum ValueType {
    UINT8("uint8", 1),
    FLOAT32("float32", 4);

    /** Bytes per stored chunk (about 1 MiB), a multiple of every value size. */
    static final int CHUNK_BYTES = 1 << 20;

    private final String dbName;
    private final int bytes;

    ValueType(String dbName, int bytes) {
        this.dbName = dbName;
        this.bytes = bytes;
    }

    String dbName() {
        return dbName;
    }

    int valuesPerChunk() {
        return CHUNK_BYTES / bytes;
    }

    static ValueType fromDb(String name) {
        for (ValueType type : values()) {
            if (type.dbName.equals(name)) {
                return type;
            }
        }
        throw new IllegalStateException("stored dataset has unknown value type '" + name + "'");
    }

    /** Encodes {@code count} values starting at {@code from} into a new chunk. */
    byte[] encode(float[] values, int from, int count) {
        byte[] chunk = new byte[count * bytes];
        if (this == UINT8) {
            for (int i = 0; i < count; i++) {
                chunk[i] = (byte) (int) values[from + i];
            }
        } else {
            ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, from, count);
        }
        return chunk;
    }

    /** Decodes a chunk into {@code into} at {@code offset}; returns the number of values written. */
    int decode(byte[] chunk, float[] into, int offset) {
        int count = chunk.length / bytes;
        if (offset + count > into.length || chunk.length % bytes != 0) {
            throw new IllegalStateException("stored dataset chunk does not fit its declared size");
        }
        if (this == UINT8) {
            for (int i = 0; i < count; i++) {
                into[offset + i] = chunk[i] & 0xFF;
            }
        } else {
            ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into, offset, count);
        }
        return count;
    }

    /** Copies a chunk of unsigned bytes into {@code into} at {@code offset}; returns the number of values copied. */
    int decode(byte[] chunk, byte[] into, int offset) {
        if (this != UINT8 || offset + chunk.length > into.length) {
            throw new IllegalStateException("stored dataset chunk does not fit its declared size");
        }
        System.arraycopy(chunk, 0, into, offset, chunk.length);
        return chunk.length;
    }

    /** True when {@code v} is stored exactly as an unsigned byte. */
    static boolean isUnsignedByte(float v) {
        return v >= 0 && v <= 255 && v == (int) v;
    }
}
