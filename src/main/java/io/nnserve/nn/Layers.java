package io.nnserve.nn;

import org.ojalgo.matrix.store.R064Store;

/**
 * The layers as forward/backward pairs, CS231n style, on preallocated column-major stores. A layer holds no state:
 * what its backward pass needs from the forward pass (its cache) is passed back in explicitly:
 * <ul>
 *   <li>affine: cache {@code (x, w)}; forward {@code out = x·w + b}; backward {@code dX = dOut·wᵀ},
 *       {@code dW = xᵀ·dOut}, {@code db} = column sums of {@code dOut};</li>
 *   <li>ReLU: cache its input {@code a}; forward {@code max(0, a)}; backward passes {@code dOut} where {@code a > 0};</li>
 *   <li>affine-ReLU: the chain of the two, cache {@code (x, w, a)}.</li>
 * </ul>
 * Every product goes through {@link MatrixProducts}. Shapes are checked here because ojAlgo's elementwise
 * operations broadcast silently on a mismatch.
 */
final class Layers {

    private Layers() {
    }

    /** {@code out = x·w + b}: x N x D, w D x M, b 1 x M, out N x M. */
    static void affineForward(R064Store x, R064Store w, R064Store b, R064Store out) {
        MatrixProducts.current().multiply(x, w, out);
        addRowVector(out, b);
    }

    /**
     * The affine layer's backward pass. {@code dX} may be null: the first layer's input gradient is never used in
     * training, so it is not computed.
     */
    static void affineBackward(R064Store dOut, R064Store x, R064Store w, R064Store dX, R064Store dW, R064Store db) {
        MatrixProducts products = MatrixProducts.current();
        products.multiplyTransposedA(x, dOut, dW);
        columnSums(dOut, db);
        if (dX != null) {
            products.multiplyTransposedB(dOut, w, dX);
        }
    }

    /** {@code out = max(0, a)} elementwise ({@code out} may be {@code a}). */
    static void reluForward(R064Store a, R064Store out) {
        checkSameShape(a, out);
        double[] in = a.data;
        double[] o = out.data;
        for (int k = 0; k < in.length; k++) {
            o[k] = in[k] > 0.0 ? in[k] : 0.0;
        }
    }

    /** {@code dA = dOut} where {@code a > 0}, else 0 ({@code dA} may be {@code dOut}). */
    static void reluBackward(R064Store dOut, R064Store a, R064Store dA) {
        checkSameShape(dOut, a);
        checkSameShape(dOut, dA);
        double[] g = dOut.data;
        double[] in = a.data;
        double[] o = dA.data;
        for (int k = 0; k < g.length; k++) {
            o[k] = in[k] > 0.0 ? g[k] : 0.0;
        }
    }

    /** Affine then ReLU: {@code a = x·w + b} (kept as the cache), {@code out = max(0, a)}. */
    static void affineReluForward(R064Store x, R064Store w, R064Store b, R064Store a, R064Store out) {
        affineForward(x, w, b, a);
        reluForward(a, out);
    }

    /** The chain reversed: ReLU backward into {@code dA} (may be {@code dOut}), then affine backward. */
    static void affineReluBackward(R064Store dOut, R064Store x, R064Store w, R064Store a, R064Store dA,
                                   R064Store dX, R064Store dW, R064Store db) {
        reluBackward(dOut, a, dA);
        affineBackward(dA, x, w, dX, dW, db);
    }

    /** Adds the 1 x M row vector {@code b} to every row of the N x M store {@code m}. */
    static void addRowVector(R064Store m, R064Store b) {
        int rows = m.getRowDim();
        int cols = m.getColDim();
        if (b.getRowDim() != 1 || b.getColDim() != cols) {
            throw new IllegalStateException("bias of shape " + b.getRowDim() + "x" + b.getColDim()
                    + " does not fit " + rows + "x" + cols);
        }
        double[] data = m.data;
        double[] bias = b.data;
        for (int j = 0; j < cols; j++) {
            double bj = bias[j];
            int base = j * rows;
            for (int i = 0; i < rows; i++) {
                data[base + i] += bj;
            }
        }
    }

    /** {@code sums} (1 x M) = the column sums of the N x M store {@code m}. */
    static void columnSums(R064Store m, R064Store sums) {
        int rows = m.getRowDim();
        int cols = m.getColDim();
        if (sums.getRowDim() != 1 || sums.getColDim() != cols) {
            throw new IllegalStateException("column sums of shape " + sums.getRowDim() + "x" + sums.getColDim()
                    + " do not fit " + rows + "x" + cols);
        }
        double[] data = m.data;
        double[] out = sums.data;
        for (int j = 0; j < cols; j++) {
            double s = 0.0;
            int base = j * rows;
            for (int i = 0; i < rows; i++) {
                s += data[base + i];
            }
            out[j] = s;
        }
    }

    static void checkSameShape(R064Store a, R064Store b) {
        if (a.getRowDim() != b.getRowDim() || a.getColDim() != b.getColDim()) {
            throw new IllegalStateException("shapes differ: " + a.getRowDim() + "x" + a.getColDim() + " and "
                    + b.getRowDim() + "x" + b.getColDim());
        }
    }
}
