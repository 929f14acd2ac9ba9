package io.nnserve.dataset;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/**
 * A dataset's feature values in their storage encoding, handed to the repository as chunks produced one at a
 * time, so that storing a large dataset never holds a second full copy of it.
 */
record EncodedValues(ValueType type, long count, int chunks, IntFunction<byte[]> chunk) implements Iterable<byte[]> {

    /** Pixels or other unsigned bytes (IDX images), stored as they are. */
    static EncodedValues ofUnsignedBytes(byte[] values) {
        int perChunk = ValueType.UINT8.valuesPerChunk();
        int chunks = (int) ((values.length + (long) perChunk - 1) / perChunk);
        return new EncodedValues(ValueType.UINT8, values.length, chunks,
                i -> Arrays.copyOfRange(values, i * perChunk, (int) Math.min(values.length, (long) (i + 1) * perChunk)));
    }

    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < chunks;
            }

            @Override
            public byte[] next() {
                if (next >= chunks) {
                    throw new NoSuchElementException();
                }
                return chunk.apply(next++);
            }
        };
    }
}
