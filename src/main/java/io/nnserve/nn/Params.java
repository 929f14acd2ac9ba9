package io.nnserve.nn;

import org.ojalgo.matrix.store.R064Store;

/**
 * The four parameter stores of a two-layer network (W1 D x H, b1 1 x H, W2 H x C, b2 1 x C), column-major as
 * ojAlgo keeps them. The same shape serves for gradients and for the update rules' per-parameter state.
 * {@link NetworkParameters} is the row-major form that leaves the engine.
 */
final class Params {

    static final int W1 = 0;
    static final int B1 = 1;
    static final int W2 = 2;
    static final int B2 = 3;

    final int inputSize;
    final int hiddenSize;
    final int numClasses;
    final R064Store w1;
    final R064Store b1;
    final R064Store w2;
    final R064Store b2;
    private final R064Store[] all;

    private Params(int inputSize, int hiddenSize, int numClasses) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numClasses = numClasses;
        w1 = R064Store.FACTORY.make(inputSize, hiddenSize);
        b1 = R064Store.FACTORY.make(1, hiddenSize);
        w2 = R064Store.FACTORY.make(hiddenSize, numClasses);
        b2 = R064Store.FACTORY.make(1, numClasses);
        all = new R064Store[] {w1, b1, w2, b2};
    }

    static Params zeros(int inputSize, int hiddenSize, int numClasses) {
        return new Params(inputSize, hiddenSize, numClasses);
    }

    /** Zeros of the same shapes as {@code like}. */
    static Params zerosLike(Params like) {
        return new Params(like.inputSize, like.hiddenSize, like.numClasses);
    }

    static Params of(NetworkParameters p) {
        Params params = new Params(p.inputSize(), p.hiddenSize(), p.numClasses());
        fromRowMajor(p.w1(), params.w1);
        System.arraycopy(p.b1(), 0, params.b1.data, 0, p.hiddenSize());
        fromRowMajor(p.w2(), params.w2);
        System.arraycopy(p.b2(), 0, params.b2.data, 0, p.numClasses());
        return params;
    }

    NetworkParameters toNetworkParameters() {
        return new NetworkParameters(inputSize, hiddenSize, numClasses, toRowMajor(w1), b1.data.clone(),
                toRowMajor(w2), b2.data.clone());
    }

    /** The four stores in the order W1, b1, W2, b2 (the array is shared: do not modify it). */
    R064Store[] stores() {
        return all;
    }

    static boolean isWeight(int index) {
        return index == W1 || index == W2;
    }

    void copyFrom(Params other) {
        for (int k = 0; k < all.length; k++) {
            System.arraycopy(other.all[k].data, 0, all[k].data, 0, all[k].data.length);
        }
    }

    int count() {
        int n = 0;
        for (R064Store s : all) {
            n += s.data.length;
        }
        return n;
    }

    private static void fromRowMajor(double[] rowMajor, R064Store target) {
        int rows = target.getRowDim();
        int cols = target.getColDim();
        double[] data = target.data;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                data[i + j * rows] = rowMajor[i * cols + j];
            }
        }
    }

    private static double[] toRowMajor(R064Store source) {
        int rows = source.getRowDim();
        int cols = source.getColDim();
        double[] out = new double[rows * cols];
        double[] data = source.data;
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                out[i * cols + j] = data[i + j * rows];
            }
        }
        return out;
    }
}
