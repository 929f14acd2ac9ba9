package io.nnserve.nn;

import org.ojalgo.matrix.store.PhysicalStore;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

/**
 * The products done by ojAlgo's {@code fillByMultiplying}. The transposed forms go through ojAlgo's transposed
 * view of the store (a small view object, no copy of the data), the partial forms through its offset and limit
 * views and regions.
 */
final class OjAlgoProducts implements MatrixProducts {

    @Override
    public void multiply(R064Store a, R064Store b, R064Store c) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        c.fillByMultiplying(a, b);
    }

    @Override
    public void multiplyTransposedA(R064Store a, R064Store b, R064Store c) {
        MatrixProducts.checkShapes(a, true, b, false, c);
        c.fillByMultiplying(a.transpose(), b);
    }

    @Override
    public void multiplyTransposedB(R064Store a, R064Store b, R064Store c) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        c.fillByMultiplying(a, b.transpose());
    }

    @Override
    public void multiplyPart(R064Store a, R064Store b, R064Store c, int k0, int k1) {
        part(a, b, c, k0, k1);
    }

    @Override
    public void multiplyTransposedB(R064Store a, R064Store b, R064Store c, int j0, int j1) {
        columnsTransposedB(a, b, c, j0, j1);
    }

    @Override
    public void multiply(R032Store a, R032Store b, R032Store c) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        c.fillByMultiplying(a, b);
    }

    @Override
    public void multiplyTransposedA(R032Store a, R032Store b, R032Store c) {
        MatrixProducts.checkShapes(a, true, b, false, c);
        c.fillByMultiplying(a.transpose(), b);
    }

    @Override
    public void multiplyTransposedB(R032Store a, R032Store b, R032Store c) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        c.fillByMultiplying(a, b.transpose());
    }

    @Override
    public void multiplyPart(R032Store a, R032Store b, R032Store c, int k0, int k1) {
        part(a, b, c, k0, k1);
    }

    @Override
    public void multiplyTransposedB(R032Store a, R032Store b, R032Store c, int j0, int j1) {
        columnsTransposedB(a, b, c, j0, j1);
    }

    /** {@code c = a[:, k0..k1)·b[k0..k1, :]} through views of columns of a and rows of b. */
    private static void part(PhysicalStore<Double> a, PhysicalStore<Double> b, PhysicalStore<Double> c, int k0, int k1) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        MatrixProducts.checkRange("inner", k0, k1, a.getColDim());
        if (k0 == k1) {
            c.fillAll(0.0); // ojAlgo's multiply divides by an empty inner dimension
        } else {
            c.fillByMultiplying(a.offsets(0, k0).limits(a.getRowDim(), k1 - k0), b.offsets(k0, 0).limits(k1 - k0, b.getColDim()));
        }
    }

    /** Columns {@code [j0, j1)} of {@code c = a·bᵀ}: a region of c filled from a view of rows of b. */
    private static void columnsTransposedB(PhysicalStore<Double> a, PhysicalStore<Double> b, PhysicalStore<Double> c,
                                           int j0, int j1) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        MatrixProducts.checkRange("column", j0, j1, c.getColDim());
        if (j0 < j1) {
            c.regionByOffsets(0, j0).regionByLimits(c.getRowDim(), j1 - j0)
                    .fillByMultiplying(a, b.offsets(j0, 0).limits(j1 - j0, b.getColDim()).transpose());
        }
    }
}
