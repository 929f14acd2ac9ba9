package io.nnserve.nn;

import java.util.HashMap;
import java.util.Map;

import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.PhysicalStore;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;
import org.ojalgo.structure.Factory2D;

/**
 * The products done by ojAlgo's {@code fillByMultiplying}, on plain stores only. ojAlgo multiplies two plain dense
 * stores with its own fast loops, but a transposed, offset or limited view it reads element by element through its
 * generic interface: a training step on such views ran about 30 times slower than on plain stores (Fashion-MNIST,
 * 784-100-10, minibatches of 200: 280 ms against 9 ms per step). So an operand that would be a view, and the
 * result of a product that fills only some columns of {@code c}, is first copied into a plain store of the calling
 * thread's own, made once per shape and reused up to a size (a copy is one pass over an operand; the product is k
 * passes).
 */
final class OjAlgoProducts implements MatrixProducts {

    /** Operands and results this thread's products copy through, by role and shape. */
    private static final ThreadLocal<Copies> COPIES = ThreadLocal.withInitial(Copies::new);

    @Override
    public void multiply(R064Store a, R064Store b, R064Store c) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        c.fillByMultiplying(a, b);
    }

    @Override
    public void multiplyTransposedA(R064Store a, R064Store b, R064Store c) {
        MatrixProducts.checkShapes(a, true, b, false, c);
        c.fillByMultiplying(COPIES.get().plain(Role.LEFT, a.transpose(), R064Store.FACTORY), b);
    }

    @Override
    public void multiplyTransposedB(R064Store a, R064Store b, R064Store c) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        c.fillByMultiplying(a, COPIES.get().plain(Role.RIGHT, b.transpose(), R064Store.FACTORY));
    }

    @Override
    public void multiplyPart(R064Store a, R064Store b, R064Store c, int k0, int k1) {
        part(a, b, c, k0, k1, R064Store.FACTORY);
    }

    @Override
    public void multiplyTransposedB(R064Store a, R064Store b, R064Store c, int j0, int j1) {
        columnsTransposedB(a, b, c, j0, j1, R064Store.FACTORY);
    }

    @Override
    public void multiply(R032Store a, R032Store b, R032Store c) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        c.fillByMultiplying(a, b);
    }

    @Override
    public void multiplyTransposedA(R032Store a, R032Store b, R032Store c) {
        MatrixProducts.checkShapes(a, true, b, false, c);
        c.fillByMultiplying(COPIES.get().plain(Role.LEFT, a.transpose(), R032Store.FACTORY), b);
    }

    @Override
    public void multiplyTransposedB(R032Store a, R032Store b, R032Store c) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        c.fillByMultiplying(a, COPIES.get().plain(Role.RIGHT, b.transpose(), R032Store.FACTORY));
    }

    @Override
    public void multiplyPart(R032Store a, R032Store b, R032Store c, int k0, int k1) {
        part(a, b, c, k0, k1, R032Store.FACTORY);
    }

    @Override
    public void multiplyTransposedB(R032Store a, R032Store b, R032Store c, int j0, int j1) {
        columnsTransposedB(a, b, c, j0, j1, R032Store.FACTORY);
    }

    /** {@code c = a[:, k0..k1)·b[k0..k1, :]} from plain copies of those columns of a and rows of b. */
    private static <S extends PhysicalStore<Double> & Factory2D.Builder<S>> void part(
            S a, S b, S c, int k0, int k1, PhysicalStore.Factory<Double, S> factory) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        MatrixProducts.checkRange("inner", k0, k1, a.getColDim());
        if (k0 == k1) {
            c.fillAll(0.0); // ojAlgo's multiply divides by an empty inner dimension
            return;
        }
        Copies copies = COPIES.get();
        c.fillByMultiplying(copies.plain(Role.LEFT, a.offsets(0, k0).limits(a.getRowDim(), k1 - k0), factory),
                copies.plain(Role.RIGHT, b.offsets(k0, 0).limits(k1 - k0, b.getColDim()), factory));
    }

    /** Columns {@code [j0, j1)} of {@code c = a·bᵀ}: multiplied into a plain store, then copied into c. */
    private static <S extends PhysicalStore<Double> & Factory2D.Builder<S>> void columnsTransposedB(
            S a, S b, S c, int j0, int j1, PhysicalStore.Factory<Double, S> factory) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        MatrixProducts.checkRange("column", j0, j1, c.getColDim());
        if (j0 == j1) {
            return;
        }
        Copies copies = COPIES.get();
        PhysicalStore<Double> columns = copies.store(Role.RESULT, c.getRowDim(), j1 - j0, factory);
        MatrixStore<Double> rows = b.offsets(j0, 0).limits(j1 - j0, b.getColDim());
        columns.fillByMultiplying(a, copies.plain(Role.RIGHT, rows.transpose(), factory));
        c.regionByOffsets(0, j0).regionByLimits(c.getRowDim(), j1 - j0).fillMatching(columns);
    }

    private enum Role { LEFT, RIGHT, RESULT }

    /**
     * One thread's plain stores, by role, element type and shape. A training run asks for the same few shapes every
     * step; a thread that has served runs of many shapes starts its collection again rather than keep them all.
     */
    private static final class Copies {
        private static final int MAX_STORES = 24;
        /**
         * Elements of the largest store kept (8 MiB in float64): a larger one is made for its product and dropped, so
         * that a thread that once multiplied a huge minibatch does not hold its copy for as long as the thread lives.
         */
        private static final long MAX_KEPT_ELEMENTS = 1L << 20;
        private final Map<Key, PhysicalStore<Double>> stores = new HashMap<>();

        private record Key(Role role, Object factory, int rows, int columns) {
        }

        /** {@code view}'s elements in a plain store of this thread's own. */
        <S extends PhysicalStore<Double> & Factory2D.Builder<S>> S plain(Role role, MatrixStore<Double> view,
                                                                         PhysicalStore.Factory<Double, S> factory) {
            S plain = store(role, view.getRowDim(), view.getColDim(), factory);
            plain.fillMatching(view);
            return plain;
        }

        @SuppressWarnings("unchecked")
        <S extends PhysicalStore<Double> & Factory2D.Builder<S>> S store(Role role, int rows, int columns,
                                                                         PhysicalStore.Factory<Double, S> factory) {
            if ((long) rows * columns > MAX_KEPT_ELEMENTS) {
                return factory.make(rows, columns);
            }
            Key key = new Key(role, factory, rows, columns);
            PhysicalStore<Double> store = stores.get(key);
            if (store == null) {
                if (stores.size() >= MAX_STORES) {
                    stores.clear();
                }
                store = factory.make(rows, columns);
                stores.put(key, store);
            }
            return (S) store;
        }
    }
}
