package io.nnserve.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feature values appended one by one while an upload is parsed. They are kept in fixed-size float blocks: no
 * boxing, no copying of a growing array, and the final size need not be known in advance. Tracks whether every
 * value fits an unsigned byte so that storage can pick the compact encoding.
 */
final class ValueBuffer {

    /** Values per block: a multiple of both encodings' values per chunk, so a chunk never spans two blocks. */
    private static final int BLOCK = ValueType.UINT8.valuesPerChunk();

    private final List<float[]> blocks = new ArrayList<>();
    private float[] block;
    private int inBlock = BLOCK;
    private long size;
    private boolean unsignedBytes = true;

    void add(float value) {
        if (inBlock == BLOCK) {
            block = new float[(int) Math.min(BLOCK, Math.max(1024, size))];
            blocks.add(block);
            inBlock = 0;
        } else if (inBlock == block.length) {
            // the first block starts small (a dataset of 12 values does not need 4 MiB) and grows to BLOCK
            block = Arrays.copyOf(block, Math.min(BLOCK, block.length * 2));
            blocks.set(blocks.size() - 1, block);
        }
        block[inBlock++] = value;
        size++;
        if (unsignedBytes && !ValueType.isUnsignedByte(value)) {
            unsignedBytes = false;
        }
    }

    /** Appends {@code count} values of {@code row} starting at {@code from}. */
    void addAll(float[] row, int from, int count) {
        for (int i = 0; i < count; i++) {
            add(row[from + i]);
        }
    }

    long size() {
        return size;
    }

    /** The values in the most compact exact encoding. */
    EncodedValues encoded() {
        ValueType type = unsignedBytes ? ValueType.UINT8 : ValueType.FLOAT32;
        int perChunk = type.valuesPerChunk();
        int chunks = (int) ((size + perChunk - 1) / perChunk);
        return new EncodedValues(type, size, chunks, i -> {
            long start = (long) i * perChunk;
            int count = (int) Math.min(perChunk, size - start);
            return type.encode(blocks.get((int) (start / BLOCK)), (int) (start % BLOCK), count);
        });
    }
}
