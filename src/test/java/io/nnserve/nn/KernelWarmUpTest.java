package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class KernelWarmUpTest {

    /** Every run of the warm-up (floats and bytes, every rule and loss, both precisions) trains without diverging. */
    @Test
    void runsEveryKernelWithoutFailing() {
        assertThatCode(() -> KernelWarmUp.run(1)).doesNotThrowAnyException();
    }
}
