package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

/** The vector kernel against ojAlgo's multiply, on the training shapes and on random ones with every kind of tail. */
@EnabledIf(value = "io.nnserve.nn.EngineKernel#hardwareFma",
        disabledReason = "the vector kernel needs a CPU with a fused multiply-add")
class VectorProductsTest {

    private static final VectorProducts ONE_THREAD = new VectorProducts(1);
    private static final VectorProducts TWO_THREADS = new VectorProducts(2);
    private static final OjAlgoProducts OJALGO = new OjAlgoProducts();

    enum Form { AB, ATB, ABT }

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        // the training shapes, and a wide product cut into many chunks (B's columns in blocks that stay cached)
        int[][] training = {{200, 100, 784}, {200, 10, 100}, {100, 10, 200}, {784, 100, 200}, {200, 100, 10},
            {100, 1001, 784}};
        for (int[] s : training) {
            for (Form f : Form.values()) {
                out.add(Arguments.of(f, s[0], s[1], s[2]));
            }
        }
        Random r = new Random(42);
        for (int t = 0; t < 60; t++) {
            int m = 1 + r.nextInt(t < 20 ? 20 : 90);
            int n = 1 + r.nextInt(t < 20 ? 20 : 60);
            int k = 1 + r.nextInt(t < 40 ? 40 : 300);
            out.add(Arguments.of(Form.values()[t % 3], m, n, k));
        }
        // bands of 1 to 7 vectors of 8 and 16 lanes (AVX-512 doubles and floats; 2 and 4 lanes are among them),
        // exactly and one row more or less (the last vector overlapping), several bands, 100 rows; columns: 27 =
        // 9 tiles of 3, 25 = 8 tiles and 1 column, 26 = 8 tiles and 2 columns
        java.util.SortedSet<Integer> rows = new java.util.TreeSet<>(List.of(100, 113, 129, 224, 225, 230));
        for (int lanes : new int[] {8, 16}) {
            for (int vectors = 1; vectors <= 7; vectors++) {
                rows.addAll(List.of(vectors * lanes - 1, vectors * lanes, vectors * lanes + 1));
            }
        }
        for (int m : rows) {
            for (Form f : Form.values()) {
                out.add(Arguments.of(f, m, 25 + m % 3, 17));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{3}")
    @MethodSource("shapes")
    void doubleProductsAgreeWithOjAlgo(Form form, int m, int n, int k) {
        Random r = new Random(31L * m + 17L * n + k);
        R064Store a = form == Form.ATB ? random(k, m, r) : random(m, k, r);
        R064Store b = form == Form.ABT ? random(n, k, r) : random(k, n, r);
        R064Store expected = R064Store.FACTORY.make(m, n);
        apply(OJALGO, form, a, b, expected);
        double[] bound = absoluteProductBound(form, a, b, m, n, k);
        for (VectorProducts products : new VectorProducts[] {ONE_THREAD, TWO_THREADS}) {
            R064Store c = R064Store.FACTORY.make(m, n);
            java.util.Arrays.fill(c.data, Double.NaN); // every element must be written
            apply(products, form, a, b, c);
            for (int i = 0; i < m * n; i++) {
                assertThat(Math.abs(c.data[i] - expected.data[i]))
                        .as("element %d of %s %dx%dx%d", i, form, m, n, k)
                        .isLessThanOrEqualTo(1e-12 * bound[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{3}")
    @MethodSource("shapes")
    void floatProductsAgreeWithDoubleProducts(Form form, int m, int n, int k) {
        Random r = new Random(7L * m + 3L * n + k);
        R064Store a = form == Form.ATB ? random(k, m, r) : random(m, k, r);
        R064Store b = form == Form.ABT ? random(n, k, r) : random(k, n, r);
        R032Store a32 = toFloat(a);
        R032Store b32 = toFloat(b);
        // the reference: the float inputs multiplied exactly enough in double precision
        R064Store expected = R064Store.FACTORY.make(m, n);
        apply(OJALGO, form, toDouble(a32), toDouble(b32), expected);
        double[] bound = absoluteProductBound(form, a, b, m, n, k);
        for (VectorProducts products : new VectorProducts[] {ONE_THREAD, TWO_THREADS}) {
            R032Store c = R032Store.FACTORY.make(m, n);
            java.util.Arrays.fill(c.data, Float.NaN);
            switch (form) {
                case AB -> products.multiply(a32, b32, c);
                case ATB -> products.multiplyTransposedA(a32, b32, c);
                case ABT -> products.multiplyTransposedB(a32, b32, c);
            }
            for (int i = 0; i < m * n; i++) {
                assertThat(Math.abs(c.data[i] - expected.data[i]))
                        .as("element %d of %s %dx%dx%d", i, form, m, n, k)
                        .isLessThanOrEqualTo(2e-6 * Math.max(1, Math.sqrt(k)) * bound[i] + 1e-30);
            }
        }
    }

    /**
     * The partial forms the training step shares layer 1 with, in every implementation and both precisions: the
     * share of A·B from inner indices [k0, k1) (an empty range gives zeros), and columns [j0, j1) of A·Bᵀ, the
     * other columns left as they were.
     */
    @ParameterizedTest(name = "{1}x{2}x{3}")
    @MethodSource("shapes")
    void partialProductsAgreeWithTheProductsOfTheirParts(Form form, int m, int n, int k) {
        if (form != Form.AB) {
            return; // one case per shape
        }
        Random r = new Random(5L * m + 11L * n + k);
        R064Store a = random(m, k, r);
        R064Store b = random(k, n, r);
        R064Store bt = random(n, k, r);
        int[][] ranges = {{0, k}, {0, k / 3}, {k / 3, k}, {k / 2, k / 2}};
        for (MatrixProducts products : new MatrixProducts[] {ONE_THREAD, TWO_THREADS, OJALGO}) {
            String name = products.getClass().getSimpleName();
            for (int[] range : ranges) {
                int k0 = range[0];
                int k1 = range[1];
                R064Store expected = R064Store.FACTORY.make(m, n);
                if (k1 > k0) {
                    OJALGO.multiply(copy(a, 0, m, k0, k1), copy(b, k0, k1, 0, n), expected);
                }
                double[] bound = k1 > k0
                        ? absoluteProductBound(Form.AB, copy(a, 0, m, k0, k1), copy(b, k0, k1, 0, n), m, n, k1 - k0)
                        : new double[m * n]; // ojAlgo divides by zero on an empty inner dimension
                R064Store c = R064Store.FACTORY.make(m, n);
                java.util.Arrays.fill(c.data, Double.NaN);
                products.multiplyPart(a, b, c, k0, k1);
                R032Store c32 = R032Store.FACTORY.make(m, n);
                java.util.Arrays.fill(c32.data, Float.NaN);
                products.multiplyPart(toFloat(a), toFloat(b), c32, k0, k1);
                for (int i = 0; i < m * n; i++) {
                    assertThat(Math.abs(c.data[i] - expected.data[i])).as("%s part [%d, %d) element %d", name, k0, k1, i)
                            .isLessThanOrEqualTo(1e-12 * bound[i]);
                    assertThat(Math.abs(c32.data[i] - expected.data[i])).as("%s float part [%d, %d) element %d", name, k0, k1, i)
                            .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.sqrt(k)) * (bound[i] + 1));
                }
            }
            R064Store full = R064Store.FACTORY.make(m, n);
            OJALGO.multiplyTransposedB(a, bt, full);
            double[] bound = absoluteProductBound(Form.ABT, a, bt, m, n, k);
            int[][] columns = {{0, n}, {0, n / 3}, {n / 3, n}, {n / 2, n / 2}};
            for (int[] range : columns) {
                R064Store c = R064Store.FACTORY.make(m, n);
                java.util.Arrays.fill(c.data, Double.NaN);
                products.multiplyTransposedB(a, bt, c, range[0], range[1]);
                R032Store c32 = R032Store.FACTORY.make(m, n);
                java.util.Arrays.fill(c32.data, Float.NaN);
                products.multiplyTransposedB(toFloat(a), toFloat(bt), c32, range[0], range[1]);
                for (int i = 0; i < m * n; i++) {
                    int column = i / m;
                    if (column >= range[0] && column < range[1]) {
                        assertThat(Math.abs(c.data[i] - full.data[i])).as("%s columns %d-%d element %d", name, range[0],
                                range[1], i).isLessThanOrEqualTo(1e-12 * bound[i]);
                        assertThat(Math.abs(c32.data[i] - full.data[i])).as("%s float columns element %d", name, i)
                                .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.sqrt(k)) * (bound[i] + 1));
                    } else {
                        assertThat(c.data[i]).as("%s column %d outside %d-%d", name, column, range[0], range[1]).isNaN();
                        assertThat(c32.data[i]).isNaN();
                    }
                }
            }
        }
    }

    /**
     * However a product is cut (whole, in chunks on one thread, or shared with the helper), each element is the
     * same sum in the same order: predictions do not depend on whether the helper was free.
     */
    @Test
    void aProductGivesTheSameBitsOnOneThreadAndOnTwo() {
        Random r = new Random(77);
        int[][] shapes = {{100, 1001, 784}, {200, 100, 784}, {784, 100, 200}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            for (Form form : Form.values()) {
                R064Store a = form == Form.ATB ? random(k, m, r) : random(m, k, r);
                R064Store b = form == Form.ABT ? random(n, k, r) : random(k, n, r);
                R064Store one = R064Store.FACTORY.make(m, n);
                R064Store two = R064Store.FACTORY.make(m, n);
                apply(ONE_THREAD, form, a, b, one);
                apply(TWO_THREADS, form, a, b, two);
                R064Store whole = R064Store.FACTORY.make(m, n);
                int code = switch (form) {
                    case AB -> VectorProducts.AB;
                    case ABT -> VectorProducts.ABT;
                    case ATB -> VectorProducts.ATB;
                };
                VectorProducts.compute(code, whole.data, a.data, b.data, m, n, k, 0, m, 0, n);
                String what = form + " " + m + "x" + n + "x" + k;
                assertThat(two.data).as(what + " two threads").containsExactly(one.data);
                assertThat(whole.data).as(what + " in one piece").containsExactly(one.data);
            }
        }
    }

    @Test
    void partialRangesOutsideTheShapeAreRejected() {
        R064Store a = R064Store.FACTORY.make(3, 4);
        R064Store b = R064Store.FACTORY.make(4, 2);
        for (MatrixProducts products : new MatrixProducts[] {ONE_THREAD, OJALGO}) {
            assertThatThrownBy(() -> products.multiplyPart(a, b, R064Store.FACTORY.make(3, 2), 2, 5))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("[2, 5)");
            assertThatThrownBy(() -> products.multiplyTransposedB(a, R064Store.FACTORY.make(2, 4),
                    R064Store.FACTORY.make(3, 2), 1, 0)).isInstanceOf(IllegalStateException.class);
        }
    }

    /** Rows [r0, r1) and columns [c0, c1) of s, as a store of their own. */
    private static R064Store copy(R064Store s, int r0, int r1, int c0, int c1) {
        R064Store out = R064Store.FACTORY.make(r1 - r0, c1 - c0);
        for (int j = c0; j < c1; j++) {
            for (int i = r0; i < r1; i++) {
                out.set(i - r0, j - c0, s.doubleValue(i, j));
            }
        }
        return out;
    }

    @Test
    void mismatchedShapesAreRejected() {
        R064Store a = R064Store.FACTORY.make(3, 4);
        R064Store b = R064Store.FACTORY.make(5, 2);
        assertThatThrownBy(() -> ONE_THREAD.multiply(a, b, R064Store.FACTORY.make(3, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("3x4");
    }

    @Test
    void aOneRowProductIsSharedByColumns() {
        R064Store a = random(1, 1000, new Random(1)); // 1.2 MFLOP: large enough to be shared
        R064Store b = random(1000, 600, new Random(2));
        R064Store c = R064Store.FACTORY.make(1, 600);
        TWO_THREADS.multiply(a, b, c);
        R064Store expected = R064Store.FACTORY.make(1, 600);
        OJALGO.multiply(a, b, expected);
        assertThat(c.data).containsExactly(expected.data, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theKernelIsChosenByName() {
        MatrixProducts before = MatrixProducts.current();
        try {
            EngineKernel.use("ojalgo");
            assertThat(EngineKernel.current()).isEqualTo("ojalgo");
            EngineKernel.use(" Vector ");
            assertThat(EngineKernel.current()).isEqualTo("vector");
            assertThatThrownBy(() -> EngineKernel.use("blas"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'auto', 'vector' or 'ojalgo'");
        } finally {
            MatrixProducts.use(before);
        }
    }

    private static void apply(MatrixProducts p, Form form, R064Store a, R064Store b, R064Store c) {
        switch (form) {
            case AB -> p.multiply(a, b, c);
            case ATB -> p.multiplyTransposedA(a, b, c);
            case ABT -> p.multiplyTransposedB(a, b, c);
        }
    }

    /** Σ_p |a_ip|·|b_pj| for each element: the scale that rounding errors of any summation order are relative to. */
    private static double[] absoluteProductBound(Form form, R064Store a, R064Store b, int m, int n, int k) {
        R064Store absA = abs(a);
        R064Store absB = abs(b);
        R064Store out = R064Store.FACTORY.make(m, n);
        apply(OJALGO, form, absA, absB, out);
        return out.data;
    }

    private static R064Store abs(R064Store s) {
        R064Store out = R064Store.FACTORY.make(s.getRowDim(), s.getColDim());
        for (int i = 0; i < s.data.length; i++) {
            out.data[i] = Math.abs(s.data[i]);
        }
        return out;
    }

    private static R064Store random(int rows, int cols, Random r) {
        R064Store s = R064Store.FACTORY.make(rows, cols);
        for (int i = 0; i < s.data.length; i++) {
            s.data[i] = r.nextGaussian();
        }
        return s;
    }

    private static R032Store toFloat(R064Store s) {
        R032Store out = R032Store.FACTORY.make(s.getRowDim(), s.getColDim());
        for (int i = 0; i < s.data.length; i++) {
            out.data[i] = (float) s.data[i];
        }
        return out;
    }

    private static R064Store toDouble(R032Store s) {
        R064Store out = R064Store.FACTORY.make(s.getRowDim(), s.getColDim());
        for (int i = 0; i < s.data.length; i++) {
            out.data[i] = s.data[i];
        }
        return out;
    }
}
