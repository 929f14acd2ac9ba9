package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

/**
 * After warm-up, an iteration of the engine's own code (gather, layers, loss, regularization, update rule, listener
 * call) allocates nothing: the stores are preallocated. The products are replaced by a stub here because ojAlgo's
 * multiply allocates a little per call (views, tasks); that part belongs to whatever kernel {@link MatrixProducts}
 * uses.
 */
class SteadyStateAllocationTest {

    private static final MatrixProducts ZEROS = new MatrixProducts() {
        @Override
        public void multiply(R064Store a, R064Store b, R064Store c) {
            Arrays.fill(c.data, 0.0);
        }

        @Override
        public void multiplyTransposedA(R064Store a, R064Store b, R064Store c) {
            Arrays.fill(c.data, 0.0);
        }

        @Override
        public void multiplyTransposedB(R064Store a, R064Store b, R064Store c) {
            Arrays.fill(c.data, 0.0);
        }

        @Override
        public void multiply(R032Store a, R032Store b, R032Store c) {
            Arrays.fill(c.data, 0f);
        }

        @Override
        public void multiplyTransposedA(R032Store a, R032Store b, R032Store c) {
            Arrays.fill(c.data, 0f);
        }

        @Override
        public void multiplyTransposedB(R032Store a, R032Store b, R032Store c) {
            Arrays.fill(c.data, 0f);
        }

        @Override
        public void multiplyPart(R064Store a, R064Store b, R064Store c, int k0, int k1) {
            Arrays.fill(c.data, 0.0);
        }

        @Override
        public void multiplyTransposedB(R064Store a, R064Store b, R064Store c, int j0, int j1) {
            Arrays.fill(c.data, j0 * c.getRowDim(), j1 * c.getRowDim(), 0.0);
        }

        @Override
        public void multiplyPart(R032Store a, R032Store b, R032Store c, int k0, int k1) {
            Arrays.fill(c.data, 0f);
        }

        @Override
        public void multiplyTransposedB(R032Store a, R032Store b, R032Store c, int j0, int j1) {
            Arrays.fill(c.data, j0 * c.getRowDim(), j1 * c.getRowDim(), 0f);
        }
    };

    @Test
    void iterationsAllocateNothing() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        // With 128-bit vectors (x86 before AVX2, or -XX:UseAVX=0/1) C2 does not turn every vector operation the step
        // uses into instructions (the ReLU gate's compare and blend, for one), and those allocate: correct, slower
        assumeTrue(jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256,
                "the vector operations are compiled to instructions from 256-bit vectors on");
        Samples data = TestData.randomSamples(2000, 64, 10, 1);
        MatrixProducts previous = MatrixProducts.use(ZEROS);
        try {
            // Vector API code allocates until C2 has compiled it (asynchronously, later on a busy machine): look
            // for a window of 38 iterations inside an epoch that allocates nothing, for up to 3,000 epochs
            for (Precision precision : Precision.values()) {
                for (UpdateRuleKind rule : UpdateRuleKind.values()) {
                    long[] window = {0, Long.MAX_VALUE};
                    SolverConfig config = SolverConfig.builder().epochs(3000).batchSize(50).updateRule(rule)
                            .regularization(RegularizationKind.L1).seed(1).precision(precision).build();
                    new Solver(config).train(TwoLayerNet.initialize(64, 32, 10, InitKind.HE, 0, 1), data, null,
                            Preprocessing.none(64), new TrainingListener() {
                                @Override
                                public boolean onIteration(int iteration, int epoch, double loss) {
                                    // 40 iterations per epoch: 1..39 of each epoch have no epoch-end work between them
                                    if (epoch > 10 && iteration % 40 == 1) {
                                        window[0] = mx.getCurrentThreadAllocatedBytes();
                                    } else if (epoch > 10 && iteration % 40 == 39) {
                                        window[1] = Math.min(window[1], mx.getCurrentThreadAllocatedBytes() - window[0]);
                                    }
                                    return window[1] / 38 >= 16; // stop at the first clean window
                                }
                            });
                    assertThat(window[1] / 38).as(precision.wireName() + " " + rule.wireName() + " bytes per iteration")
                            .isLessThan(16);
                }
            }
        } finally {
            MatrixProducts.use(previous);
        }
    }
}
