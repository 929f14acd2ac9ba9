package io.nnserve.nn;

/**
 * A labelled dataset held compactly: features as row-major floats ({@code rows x features}), labels as class
 * indices in {@code [0, classes)}. Float storage halves the memory of a large dataset (pixels, sensor values);
 * every computation on it is done in the network's own precision after the minibatch is gathered.
 */
public record Samples(int rows, int features, int classes, float[] values, int[] labels) {

    public Samples {
        if (rows < 1 || features < 1) {
            throw new IllegalArgumentException("a dataset needs at least one row and one feature");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a dataset needs at least 2 classes, got " + classes);
        }
        if (values.length != (long) rows * features) {
            throw new IllegalArgumentException("expected " + (long) rows * features + " feature values, got " + values.length);
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " labels, got " + labels.length);
        }
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label of row " + i + " is " + labels[i] + ", outside 0.." + (classes - 1));
            }
        }
    }

    public float value(int row, int feature) {
        return values[row * features + feature];
    }

    /** The rows at the given indices, in that order (for train/validation splits). */
    public Samples select(int[] indices) {
        float[] v = new float[indices.length * features];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(values, indices[i] * features, v, i * features, features);
            l[i] = labels[indices[i]];
        }
        return new Samples(indices.length, features, classes, v, l);
    }
}
