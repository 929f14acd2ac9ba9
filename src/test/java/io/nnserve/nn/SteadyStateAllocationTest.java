package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
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
    };

    @Test
    void iterationsAllocateNothing() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        Samples data = TestData.randomSamples(2000, 64, 10, 1);
        long[] allocated = new long[2];
        MatrixProducts previous = MatrixProducts.use(ZEROS);
        try {
            for (UpdateRuleKind rule : UpdateRuleKind.values()) {
                SolverConfig config = SolverConfig.builder().epochs(40).batchSize(50).updateRule(rule)
                        .regularization(RegularizationKind.L1).seed(1).build();
                new Solver(config).train(TwoLayerNet.initialize(64, 32, 10, InitKind.HE, 0, 1), data, null,
                        Preprocessing.none(64), new TrainingListener() {
                            @Override
                            public boolean onIteration(int iteration, int epoch, double loss) {
                                if (iteration == 1400) {
                                    allocated[0] = mx.getCurrentThreadAllocatedBytes();
                                } else if (iteration == 1439) {
                                    allocated[1] = mx.getCurrentThreadAllocatedBytes();
                                }
                                return iteration < 1439;
                            }
                        });
                // iterations 1400..1439 lie inside epoch 36 (40 per epoch): no epoch-end work in between
                assertThat((allocated[1] - allocated[0]) / 39).as(rule.wireName() + " bytes per iteration").isLessThan(16);
            }
        } finally {
            MatrixProducts.use(previous);
        }
    }
}
