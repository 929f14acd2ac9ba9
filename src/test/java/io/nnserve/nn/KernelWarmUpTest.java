package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelWarmUpTest {

    /** Every run of the warm-up (floats and bytes, every rule and loss, both precisions) trains without diverging. */
    @Test
    void runsEveryConfigurationWithoutFailing() {
        KernelWarmUp.allow();
        assertThat(KernelWarmUp.run(1)).isEqualTo(Precision.values().length * UpdateRuleKind.values().length
                * LossKind.values().length);
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
