package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf(value = "io.nnserve.nn.EngineKernel#hardwareFma",
        disabledReason = "the vector kernel needs a CPU with a fused multiply-add")
class KernelWarmUpTest {

    /** Every run of the warm-up (floats and bytes, every rule and loss, both precisions) trains without diverging. */
    @Test
    void runsEveryConfigurationWithoutFailing() {
        KernelWarmUp.allow();
        assertThat(KernelWarmUp.run(1)).isEqualTo(KernelWarmUp.TRAINING_RUNS);
    }

    /** The warm-up as the service runs it, every run to its last epoch (a diverging run would end it early). */
    @Test
    void theServiceWarmUpRunsToItsEnd() {
        KernelWarmUp.allow();
        assertThat(KernelWarmUp.run(EngineKernel.WARM_UP_ROUNDS)).isEqualTo(KernelWarmUp.TRAINING_RUNS);
    }

    /**
     * The wide runs and the default network's run are there to reach the first layer shared by two threads, as a
     * real job's is: their first layers must stay over the threshold for sharing.
     */
    @Test
    void theWideRunsShareTheirFirstLayer() {
        assertThat(2L * KernelWarmUp.HIDDEN * KernelWarmUp.WIDE_FEATURES * KernelWarmUp.WIDE_BATCH)
                .isGreaterThanOrEqualTo(VectorProducts.PARALLEL_MIN_FLOPS);
        assertThat(2L * KernelWarmUp.DEFAULT_RUN_HIDDEN * KernelWarmUp.WIDE_FEATURES * KernelWarmUp.DEFAULT_RUN_BATCH)
                .isGreaterThanOrEqualTo(VectorProducts.PARALLEL_MIN_FLOPS);
    }

    /** The background warm-up tells its caller what it did: here, stopped by a training job before its end. */
    @Test
    void aBackgroundWarmUpReportsWhatItDid() throws Exception {
        java.util.concurrent.CompletableFuture<EngineKernel.WarmUp> report = new java.util.concurrent.CompletableFuture<>();
        try {
            Thread warmUp = EngineKernel.warmUpInBackground(report::complete);
            EngineKernel.stopWarmUp(); // long before its training runs are done
            warmUp.join(60_000);
            EngineKernel.WarmUp done = report.get(1, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(done.stoppedEarly()).isTrue();
            assertThat(done.trainingRuns()).isLessThan(KernelWarmUp.TRAINING_RUNS);
            assertThat(done.millis()).isNotNegative();
        } finally {
            KernelWarmUp.allow();
        }
    }

    /** A training job asks the warm-up to stop: it then does no more runs until the next warm-up is started. */
    @Test
    void stopsWhenTrainingStarts() {
        try {
            EngineKernel.stopWarmUp();
            assertThat(KernelWarmUp.stopRequested()).isTrue();
            assertThat(KernelWarmUp.run(1)).isZero();
        } finally {
            KernelWarmUp.allow();
        }
    }
}
