package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ojalgo.matrix.store.R064Store;

/** Each product form of each kernel against a plain triple loop, at odd shapes; mismatched shapes are refused. */
class MatrixProductsTest {

    private final SplitMix64 rng = new SplitMix64(99);

    static Stream<MatrixProducts> kernels() {
        // the process's vector kernel (one helper thread, not one per test) where it can run: it computes fused
        // multiply-adds in software on a CPU without them
        return EngineKernel.hardwareFma() ? Stream.of(EngineKernel.vectorProducts(), new OjAlgoProducts())
                : Stream.of(new OjAlgoProducts());
    }

    private static double[][] naive(R064Store a, boolean ta, R064Store b, boolean tb) {
        int m = ta ? a.getColDim() : a.getRowDim();
        int k = ta ? a.getRowDim() : a.getColDim();
        int n = tb ? b.getRowDim() : b.getColDim();
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    s += (ta ? a.doubleValue(q, i) : a.doubleValue(i, q)) * (tb ? b.doubleValue(j, q) : b.doubleValue(q, j));
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    private static void assertEqual(double[][] expected, R064Store c) {
        assertThat(c.getRowDim()).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(c.doubleValue(i, j)).isCloseTo(expected[i][j], within(1e-12));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void multiply(MatrixProducts products) {
        R064Store a = TestData.gaussian(13, 7, 1, rng);
        R064Store b = TestData.gaussian(7, 5, 1, rng);
        R064Store c = R064Store.FACTORY.make(13, 5);
        products.multiply(a, b, c);
        assertEqual(naive(a, false, b, false), c);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void multiplyTransposedA(MatrixProducts products) {
        R064Store a = TestData.gaussian(7, 13, 1, rng);
        R064Store b = TestData.gaussian(7, 5, 1, rng);
        R064Store c = R064Store.FACTORY.make(13, 5);
        products.multiplyTransposedA(a, b, c);
        assertEqual(naive(a, true, b, false), c);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void multiplyTransposedB(MatrixProducts products) {
        R064Store a = TestData.gaussian(13, 7, 1, rng);
        R064Store b = TestData.gaussian(5, 7, 1, rng);
        R064Store c = R064Store.FACTORY.make(13, 5);
        products.multiplyTransposedB(a, b, c);
        assertEqual(naive(a, false, b, true), c);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void productsOverwriteTheTarget(MatrixProducts products) {
        R064Store a = TestData.gaussian(3, 4, 1, rng);
        R064Store b = TestData.gaussian(4, 2, 1, rng);
        R064Store c = TestData.gaussian(3, 2, 100, rng);
        products.multiply(a, b, c);
        assertEqual(naive(a, false, b, false), c);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void mismatchedShapesAreRefused(MatrixProducts products) {
        R064Store a = R064Store.FACTORY.make(3, 4);
        R064Store b = R064Store.FACTORY.make(5, 2);
        assertThatThrownBy(() -> products.multiply(a, b, R064Store.FACTORY.make(3, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("3x4 · 5x2");
        assertThatThrownBy(() -> products.multiply(a, R064Store.FACTORY.make(4, 2), R064Store.FACTORY.make(2, 3)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> products.multiplyTransposedA(a, b, R064Store.FACTORY.make(4, 2)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Layers.addRowVector(R064Store.FACTORY.make(3, 2), R064Store.FACTORY.make(1, 3)))
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * ojAlgo's products copy views into plain stores of the thread's own, by shape, and start that collection again
     * past a few dozen shapes: a shape used before and after many others still gets its own, right, result.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void manyShapesOneAfterTheOther(MatrixProducts products) {
        assertTransposedAIsRight(products, 9, 6, 4);
        for (int k = 1; k <= 40; k++) {
            assertTransposedAIsRight(products, k, 3, 2);
        }
        assertTransposedAIsRight(products, 9, 6, 4);
        assertTransposedAIsRight(products, 3, 400_000, 2); // a copy larger than ojAlgo's products keep
        assertTransposedAIsRight(products, 3, 400_000, 2);
    }

    /** {@code aᵀ·b} for a random a (k x m) and b (k x n), against the triple loop. */
    private void assertTransposedAIsRight(MatrixProducts products, int k, int m, int n) {
        R064Store a = TestData.gaussian(k, m, 1, rng);
        R064Store b = TestData.gaussian(k, n, 1, rng);
        R064Store c = R064Store.FACTORY.make(m, n);
        products.multiplyTransposedA(a, b, c);
        assertEqual(naive(a, true, b, false), c);
    }
}
