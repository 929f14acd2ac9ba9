package io.nnserve.nn;

import java.util.Objects;

/**
 * A labelled dataset held compactly: {@code rows x features} values and one class index in {@code [0, classes)}
 * per row. The values are stored row-major either as unsigned bytes (pixels and other whole numbers 0..255: a
 * quarter of the memory of floats, and exact) or as floats; every computation on them is done in the network's
 * own precision after a minibatch is gathered.
 *
 * <p>{@link #select} makes a view, not a copy: a train/validation split of a 60,000-image dataset shares the
 * images and costs one {@code int} per row.
 */
public final class Samples {

    private final int rows;
    private final int features;
    private final int classes;
    /** Exactly one of {@code floats} and {@code bytes} is set; they hold the backing rows. */
    private final float[] floats;
    private final byte[] bytes;
    /** Row i of this dataset is backing row {@code rowMap[i]}; null when they are the same. */
    private final int[] rowMap;
    private final int[] labels;

    /** Float values, row-major; the arrays are taken, not copied. */
    public Samples(int rows, int features, int classes, float[] values, int[] labels) {
        this(rows, features, classes, Objects.requireNonNull(values, "values"), null, values.length, null, labels);
    }

    private Samples(int rows, int features, int classes, float[] floats, byte[] bytes, long backingValues,
                    int[] rowMap, int[] labels) {
        if (rows < 1 || features < 1) {
            throw new IllegalArgumentException("a dataset needs at least one row and one feature");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a dataset needs at least 2 classes, got " + classes);
        }
        if (rowMap == null && backingValues != (long) rows * features) {
            throw new IllegalArgumentException("expected " + (long) rows * features + " feature values, got " + backingValues);
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " labels, got " + labels.length);
        }
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label of row " + i + " is " + labels[i] + ", outside 0.." + (classes - 1));
            }
        }
        this.rows = rows;
        this.features = features;
        this.classes = classes;
        this.floats = floats;
        this.bytes = bytes;
        this.rowMap = rowMap;
        this.labels = labels;
    }

    /** Unsigned byte values 0..255, row-major (IDX images); the arrays are taken, not copied. */
    public static Samples ofUnsignedBytes(int rows, int features, int classes, byte[] values, int[] labels) {
        return new Samples(rows, features, classes, null, Objects.requireNonNull(values, "values"), values.length,
                null, labels);
    }

    public int rows() {
        return rows;
    }

    public int features() {
        return features;
    }

    public int classes() {
        return classes;
    }

    /** The class index of every row (do not modify). */
    public int[] labels() {
        return labels;
    }

    /** True when the values are held as unsigned bytes. */
    public boolean unsignedBytes() {
        return bytes != null;
    }

    public float value(int row, int feature) {
        int at = backingRow(row) * features + feature;
        return bytes != null ? bytes[at] & 0xFF : floats[at];
    }

    /** Copies row {@code row}'s values into {@code target[0 .. features)}. */
    public void copyRow(int row, double[] target) {
        int at = offsetOf(row);
        if (bytes != null) {
            for (int j = 0; j < features; j++) {
                target[j] = bytes[at + j] & 0xFF;
            }
        } else {
            for (int j = 0; j < features; j++) {
                target[j] = floats[at + j];
            }
        }
    }

    /** The rows at the given indices, in that order (train/validation splits): a view sharing these values. */
    public Samples select(int[] indices) {
        int[] map = new int[indices.length];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Objects.checkIndex(indices[i], rows);
            map[i] = backingRow(indices[i]);
            l[i] = labels[indices[i]];
        }
        long backing = bytes != null ? bytes.length : floats.length;
        return new Samples(indices.length, features, classes, floats, bytes, backing, map, l);
    }

    /** Where row {@code row} starts in {@link #floatValues()} or {@link #byteValues()}. */
    int offsetOf(int row) {
        return backingRow(row) * features;
    }

    /** The backing float values, or null when they are bytes. */
    float[] floatValues() {
        return floats;
    }

    /** The backing unsigned byte values, or null when they are floats. */
    byte[] byteValues() {
        return bytes;
    }

    private int backingRow(int row) {
        return rowMap == null ? row : rowMap[row];
    }

    @Override
    public String toString() {
        return "Samples[rows=" + rows + ", features=" + features + ", classes=" + classes
                + (bytes != null ? ", unsigned bytes" : ", floats") + (rowMap != null ? ", view" : "") + "]";
    }
}
