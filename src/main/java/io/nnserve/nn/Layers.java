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
        MatrixProducts.current().multiply(x, w, a);
        checkSameShape(a, out);
        checkBias(a, b);
        Elementwise.addBiasAndRelu(a.data, out.data, a.getRowDim(), a.getColDim(), b.data);
    }

    /** The chain reversed: ReLU backward into {@code dA} (may be {@code dOut}), then affine backward. */
    static void affineReluBackward(R064Store dOut, R064Store x, R064Store w, R064Store a, R064Store dA,
                                   R064Store dX, R064Store dW, R064Store db) {
        if (dOut != dA) {
            System.arraycopy(dOut.data, 0, dA.data, 0, dA.data.length);
        }
        checkSameShape(dOut, a);
        checkSameShape(dOut, dA);
        if (db.getRowDim() != 1 || db.getColDim() != dA.getColDim()) {
            throw new IllegalStateException("bias gradient of shape " + db.getRowDim() + "x" + db.getColDim()
                    + " does not fit " + dA.getRowDim() + "x" + dA.getColDim());
        }
        // ReLU's backward pass and the bias gradient (column sums) in one pass, then the two products
        Elementwise.reluBackwardAndColumnSums(dA.data, a.data, dA.getRowDim(), dA.getColDim(), db.data);
        MatrixProducts products = MatrixProducts.current();
        products.multiplyTransposedA(x, dA, dW);
        if (dX != null) {
            products.multiplyTransposedB(dA, w, dX);
        }
    }

    /** Adds the 1 x M row vector {@code b} to every row of the N x M store {@code m}. */
    static void addRowVector(R064Store m, R064Store b) {
        checkBias(m, b);
        Elementwise.addBias(m.data, m.getRowDim(), m.getColDim(), b.data);
    }

    private static void checkBias(R064Store m, R064Store b) {
        if (b.getRowDim() != 1 || b.getColDim() != m.getColDim()) {
            throw new IllegalStateException("bias of shape " + b.getRowDim() + "x" + b.getColDim()
                    + " does not fit " + m.getRowDim() + "x" + m.getColDim());
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
        Elementwise.columnSums(m.data, rows, cols, sums.data);
    }

    static void checkSameShape(R064Store a, R064Store b) {
        if (a.getRowDim() != b.getRowDim() || a.getColDim() != b.getColDim()) {
            throw new IllegalStateException("shapes differ: " + a.getRowDim() + "x" + a.getColDim() + " and "
                    + b.getRowDim() + "x" + b.getColDim());
        }
    }
}
