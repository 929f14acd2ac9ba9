package io.nnserve.nn;

import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;
import org.ojalgo.structure.Structure2D;

/**
 * The one door through which every matrix product of the engine passes, so that a faster kernel can replace
 * ojAlgo's in one place ({@link #use}). All three forms write into a preallocated {@code c} and never allocate a
 * store. Stores are ojAlgo's dense column-major {@link R064Store}; implementations may read and write their
 * {@code data} arrays directly. Shapes are checked by {@link #checkShapes} (ojAlgo itself would multiply
 * mismatched shapes without complaint in some cases).
 */
interface MatrixProducts {

    /** {@code c = a·b}: a is m x k, b is k x n, c is m x n. */
    void multiply(R064Store a, R064Store b, R064Store c);

    /** {@code c = aᵀ·b}: a is k x m, b is k x n, c is m x n. */
    void multiplyTransposedA(R064Store a, R064Store b, R064Store c);

    /** {@code c = a·bᵀ}: a is m x k, b is n x k, c is m x n. */
    void multiplyTransposedB(R064Store a, R064Store b, R064Store c);

    /**
     * {@code c = a[:, k0..k1)·b[k0..k1, :]}: the share of {@code a·b} from the inner indices {@code [k0, k1)}, on the
     * calling thread alone. The training step splits layer 1's product this way, by input features, so that each
     * thread multiplies only the features it gathered and the weights it updates ({@link Float64Step}).
     */
    void multiplyPart(R064Store a, R064Store b, R064Store c, int k0, int k1);

    /**
     * Columns {@code [j0, j1)} of {@code c = a·bᵀ} (a is m x k, b is n x k), on the calling thread alone; the other
     * columns of c are left as they are.
     */
    void multiplyTransposedB(R064Store a, R064Store b, R064Store c, int j0, int j1);

    /** {@code c = a·b} in single precision (training with {@link Precision#FLOAT32}). */
    void multiply(R032Store a, R032Store b, R032Store c);

    /** {@code c = aᵀ·b} in single precision. */
    void multiplyTransposedA(R032Store a, R032Store b, R032Store c);

    /** {@code c = a·bᵀ} in single precision. */
    void multiplyTransposedB(R032Store a, R032Store b, R032Store c);

    /** {@link #multiplyPart(R064Store, R064Store, R064Store, int, int)} in single precision. */
    void multiplyPart(R032Store a, R032Store b, R032Store c, int k0, int k1);

    /** {@link #multiplyTransposedB(R064Store, R064Store, R064Store, int, int)} in single precision. */
    void multiplyTransposedB(R032Store a, R032Store b, R032Store c, int j0, int j1);

    /**
     * Runs chunks {@code 0 .. chunks-1} of independent elementwise work (the minibatch gather), on the products'
     * helper thread too where the implementation has one; here, one after the other on the calling thread.
     */
    default void parallel(ComputeWorker.Job job, int chunks) {
        for (int c = 0; c < chunks; c++) {
            job.runChunk(c);
        }
    }

    /** The implementation every engine computation uses. */
    static MatrixProducts current() {
        return Holder.current;
    }

    /** Replaces the implementation for all later products (tests and the performance switch); returns the previous one. */
    static MatrixProducts use(MatrixProducts products) {
        MatrixProducts previous = Holder.current;
        Holder.current = java.util.Objects.requireNonNull(products, "products");
        return previous;
    }

    /**
     * Checks {@code c = op(a)·op(b)} shapes, where {@code op} transposes when the flag says so. An error here is
     * a bug in the engine, never a user error, so it is an {@link IllegalStateException}.
     */
    static void checkShapes(Structure2D a, boolean transposeA, Structure2D b, boolean transposeB, Structure2D c) {
        int m = transposeA ? a.getColDim() : a.getRowDim();
        int ka = transposeA ? a.getRowDim() : a.getColDim();
        int kb = transposeB ? b.getColDim() : b.getRowDim();
        int n = transposeB ? b.getRowDim() : b.getColDim();
        if (ka != kb || c.getRowDim() != m || c.getColDim() != n) {
            throw new IllegalStateException("matrix product shapes do not match: " + shape(a, transposeA) + " · "
                    + shape(b, transposeB) + " -> " + c.getRowDim() + "x" + c.getColDim());
        }
    }

    /** Checks that {@code [from, to)} lies within {@code [0, length]}, as {@link #checkShapes} does for shapes. */
    static void checkRange(String what, int from, int to, int length) {
        if (from < 0 || to < from || to > length) {
            throw new IllegalStateException(what + " range [" + from + ", " + to + ") is not within [0, " + length + "]");
        }
    }

    private static String shape(Structure2D s, boolean transposed) {
        return transposed ? s.getColDim() + "x" + s.getRowDim() + " (transposed)" : s.getRowDim() + "x" + s.getColDim();
    }

    /** Holds the current implementation; volatile so a switch is seen by training threads already running. */
    final class Holder {
        private static volatile MatrixProducts current = EngineKernel.fromSystemProperty();

        private Holder() {
        }
    }
}
