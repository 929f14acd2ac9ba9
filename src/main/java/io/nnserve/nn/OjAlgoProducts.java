package io.nnserve.nn;

import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

/**
 * The products done by ojAlgo's {@code fillByMultiplying}. The transposed forms go through ojAlgo's transposed
 * view of the store (a small view object, no copy of the data).
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
}
