package io.nnserve.nn;

import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

/**
 * The engine's matrix products in a kernel of our own ({@link Gemm64}, {@link Gemm32}: JDK Vector API, register
 * blocked) working directly on the ojAlgo stores' column-major arrays. A product large enough to pay for the
 * hand-over is split between the calling thread and one persistent {@link ComputeWorker}: by columns of C when
 * there are enough for two sets of full tiles, else by rows; chunks by columns are narrow enough for their columns
 * of B to stay in the cache. The partial forms ({@link #multiplyPart}, a column range of
 * {@link #multiplyTransposedB(R064Store, R064Store, R064Store, int, int)}) run on the calling thread alone: they are
 * the shares of a product that the training step hands to each thread itself. Nothing is allocated per product but a
 * small chunk cursor when another thread's product holds the helper.
 *
 * <p>Shapes are checked as in {@link OjAlgoProducts}, and the tests compare both on random shapes.
 */
final class VectorProducts implements MatrixProducts {

    /**
     * Below this many floating-point operations a product runs on the calling thread alone: a single-row
     * prediction (0.16 MFLOP at 784-100-10) never wakes the helper, whose spinning would take a core from the
     * request threads; a training step's large products (31 MFLOP each at batch 200) are shared.
     */
    static final long PARALLEL_MIN_FLOPS = 1_000_000;
    /** How long the helper spins for the next product before parking (a training step's gaps are shorter). */
    static final long SPIN_NANOS = 500_000;

    /** About this many chunks per shared product: enough for the two threads to even out, few enough to be cheap. */
    private static final int CHUNKS = 12;
    /**
     * At most this many bytes of B per chunk cut by columns: every band of C's rows meets the chunk's columns of B in
     * turn, so they should stay in the cache (a 10,000-row prediction of 784 features has 63 MB of B in float64;
     * cut in 12 chunks, its 100-row product took 60-80 ms on one core, in chunks of at most 256 KiB of B 36-46).
     */
    private static final long CHUNK_B_BYTES = 256 * 1024;

    /** The three forms, as {@link #compute} takes them: a·b, a·bᵀ, aᵀ·b. */
    static final int AB = 0;
    static final int ABT = 1;
    static final int ATB = 2;

    private final ComputeWorker worker;
    private final Split split = new Split();

    /** @param threads 1 for the calling thread alone, 2 (or more: only 2 are used) to share large products */
    VectorProducts(int threads) {
        worker = threads >= 2 ? new ComputeWorker("nnserve-gemm", SPIN_NANOS) : null;
    }

    /** Two threads where the machine has two cores or more. */
    static VectorProducts forThisMachine() {
        return new VectorProducts(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void multiply(R064Store a, R064Store b, R064Store c) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        run(AB, c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getColDim());
    }

    @Override
    public void multiplyTransposedA(R064Store a, R064Store b, R064Store c) {
        MatrixProducts.checkShapes(a, true, b, false, c);
        run(ATB, c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getRowDim());
    }

    @Override
    public void multiplyTransposedB(R064Store a, R064Store b, R064Store c) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        run(ABT, c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getColDim());
    }

    @Override
    public void multiplyPart(R064Store a, R064Store b, R064Store c, int k0, int k1) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        part(c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getColDim(), k0, k1);
    }

    @Override
    public void multiplyTransposedB(R064Store a, R064Store b, R064Store c, int j0, int j1) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        columnsTransposedB(c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getColDim(), j0, j1);
    }

    @Override
    public void multiply(R032Store a, R032Store b, R032Store c) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        run(AB, c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getColDim());
    }

    @Override
    public void multiplyTransposedA(R032Store a, R032Store b, R032Store c) {
        MatrixProducts.checkShapes(a, true, b, false, c);
        run(ATB, c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getRowDim());
    }

    @Override
    public void multiplyTransposedB(R032Store a, R032Store b, R032Store c) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        run(ABT, c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getColDim());
    }

    @Override
    public void multiplyPart(R032Store a, R032Store b, R032Store c, int k0, int k1) {
        MatrixProducts.checkShapes(a, false, b, false, c);
        part(c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getColDim(), k0, k1);
    }

    @Override
    public void multiplyTransposedB(R032Store a, R032Store b, R032Store c, int j0, int j1) {
        MatrixProducts.checkShapes(a, false, b, true, c);
        columnsTransposedB(c.data, a.data, b.data, c.getRowDim(), c.getColDim(), a.getColDim(), j0, j1);
    }

    @Override
    public void parallel(ComputeWorker.Job job, int chunks) {
        if (worker != null && chunks > 1 && worker.tryAcquire()) {
            try {
                worker.run(job, chunks);
            } finally {
                worker.release();
            }
            return;
        }
        MatrixProducts.super.parallel(job, chunks);
    }

    private void run(int form, Object c, Object a, Object b, int m, int n, int k) {
        if (m == 0 || n == 0) {
            return;
        }
        if (2L * m * n * k < PARALLEL_MIN_FLOPS) {
            compute(form, c, a, b, m, n, k, 0, m, 0, n);
            return;
        }
        // a large product goes in chunks, shared with the helper when it is free, else one after the other here
        // (another thread's product has the helper, or there is none): the chunks keep B's columns in the cache
        boolean shared = worker != null && worker.tryAcquire();
        Split chunked = shared ? split : new Split();
        try {
            int chunks = chunked.set(form, c, a, b, m, n, k);
            if (shared && chunks > 1) {
                worker.run(chunked, chunks);
            } else {
                for (int q = 0; q < chunks; q++) {
                    chunked.runChunk(q);
                }
            }
        } finally {
            chunked.clear();
            if (shared) {
                worker.release();
            }
        }
    }

    /** The share of c = a·b (m x n, inner dimension k) from inner indices [k0, k1), on this thread. */
    private static void part(Object c, Object a, Object b, int m, int n, int k, int k0, int k1) {
        MatrixProducts.checkRange("inner", k0, k1, k);
        if (m == 0 || n == 0) {
            return;
        }
        if (c instanceof double[] cd) {
            Gemm64.abPart(cd, (double[]) a, (double[]) b, m, k, k0, k1, 0, m, 0, n);
        } else {
            Gemm32.abPart((float[]) c, (float[]) a, (float[]) b, m, k, k0, k1, 0, m, 0, n);
        }
    }

    /** Columns [j0, j1) of c = a·bᵀ (m x n, inner dimension k), on this thread. */
    private static void columnsTransposedB(Object c, Object a, Object b, int m, int n, int k, int j0, int j1) {
        MatrixProducts.checkRange("column", j0, j1, n);
        if (m > 0) {
            compute(ABT, c, a, b, m, n, k, 0, m, j0, j1);
        }
    }

    static void compute(int form, Object c, Object a, Object b, int m, int n, int k, int i0, int i1, int j0, int j1) {
        if (c instanceof double[] cd) {
            double[] ad = (double[]) a;
            double[] bd = (double[]) b;
            if (k == 0) {
                fillZero(cd, m, i0, i1, j0, j1);
            } else if (form == AB) {
                Gemm64.ab(cd, ad, bd, m, k, i0, i1, j0, j1);
            } else if (form == ABT) {
                Gemm64.abt(cd, ad, bd, m, n, k, i0, i1, j0, j1);
            } else {
                Gemm64.atb(cd, ad, bd, m, k, i0, i1, j0, j1);
            }
        } else {
            float[] cf = (float[]) c;
            float[] af = (float[]) a;
            float[] bf = (float[]) b;
            if (k == 0) {
                for (int j = j0; j < j1; j++) {
                    java.util.Arrays.fill(cf, i0 + j * m, i1 + j * m, 0f);
                }
            } else if (form == AB) {
                Gemm32.ab(cf, af, bf, m, k, i0, i1, j0, j1);
            } else if (form == ABT) {
                Gemm32.abt(cf, af, bf, m, n, k, i0, i1, j0, j1);
            } else {
                Gemm32.atb(cf, af, bf, m, k, i0, i1, j0, j1);
            }
        }
    }

    private static void fillZero(double[] c, int m, int i0, int i1, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            java.util.Arrays.fill(c, i0 + j * m, i1 + j * m, 0.0);
        }
    }

    /**
     * The product being shared, cut into chunks of whole tiles: bands of columns of C when there are enough
     * columns, else bands of rows (an outer-product band keeps at least one full tile of rows, so its last tile can
     * overlap). One instance, used only by whoever holds the worker.
     */
    private static final class Split implements ComputeWorker.Job {
        private int form;
        private Object c;
        private Object a;
        private Object b;
        private int m;
        private int n;
        private int k;
        private boolean byColumns;
        private int band;
        private int length;

        /** Records the product and returns how many chunks it is cut into. */
        int set(int form, Object c, Object a, Object b, int m, int n, int k) {
            this.form = form;
            this.c = c;
            this.a = a;
            this.b = b;
            this.m = m;
            this.n = n;
            this.k = k;
            boolean single = c instanceof float[];
            int rowTile = form == ATB ? 4 : (single ? Gemm32.MR : Gemm64.MR);
            int colTile = form == ATB ? 6 : Gemm64.NR;
            // cut the longer side (in tiles): a band then reads only its own part of the larger operand
            boolean columnsFirst = n / colTile >= m / rowTile;
            if (n >= 2 * colTile && (columnsFirst || m < 2 * rowTile)) {
                byColumns = true;
                length = n;
                long columnBytes = (long) k * (single ? Float.BYTES : Double.BYTES);
                int cachedTiles = (int) Math.max(1, CHUNK_B_BYTES / columnBytes / colTile);
                band = colTile * Math.min(cachedTiles, Math.max(1, n / colTile / CHUNKS));
            } else if (m >= 2 * rowTile) {
                byColumns = false;
                length = m;
                band = rowTile * Math.max(1, m / rowTile / CHUNKS);
            } else {
                byColumns = true;
                length = n;
                band = 1;
            }
            // no more chunks than the worker counts (a very wide product of very long columns)
            int fewest = (length + ComputeWorker.MAX_CHUNKS - 1) / ComputeWorker.MAX_CHUNKS;
            if (band < fewest) {
                int tile = byColumns ? colTile : rowTile;
                band = (fewest + tile - 1) / tile * tile;
            }
            // the last chunk takes the remainder (at least one full band: rows need a full tile)
            return length / band;
        }

        void clear() {
            c = null;
            a = null;
            b = null;
        }

        @Override
        public void runChunk(int chunk) {
            int from = chunk * band;
            int to = chunk == length / band - 1 ? length : from + band;
            if (byColumns) {
                compute(form, c, a, b, m, n, k, 0, m, from, to);
            } else {
                compute(form, c, a, b, m, n, k, from, to, 0, n);
            }
        }
    }
}
