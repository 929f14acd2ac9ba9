package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.nnserve.nn.EngineKernel;

class EngineSetupTest {

    @AfterEach
    void restoreDefaultKernel() {
        EngineKernel.use(EngineKernel.AUTO);
    }

    @Test
    void propertyChoosesTheKernel() {
        new EngineSetup(new EngineProperties("ojalgo", false));
        assertThat(EngineKernel.current()).isEqualTo(EngineKernel.OJALGO);
        assumeTrue(EngineKernel.hardwareFma(), "the vector kernel needs a CPU with a fused multiply-add");
        new EngineSetup(new EngineProperties(" Vector ", false));
        assertThat(EngineKernel.current()).isEqualTo(EngineKernel.VECTOR);
    }

    @Test
    void theDefaultIsTheVectorKernelWhereTheCpuHasAFusedMultiplyAdd() {
        new EngineSetup(new EngineProperties("ojalgo", false));
        new EngineSetup(new EngineProperties("auto", false));
        assertThat(EngineKernel.current())
                .isEqualTo(EngineKernel.hardwareFma() ? EngineKernel.VECTOR : EngineKernel.OJALGO);
    }

    @Test
    void unknownKernelStopsTheStartWithTheEnginesMessage() {
        assertThatThrownBy(() -> new EngineSetup(new EngineProperties("blas", false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nnserve.engine.kernel must be 'auto', 'vector' or 'ojalgo'");
    }

    /** Checked when the properties are bound: Spring Boot then stops the start with a one-line report. */
    @Test
    void anUnknownKernelNameIsRefusedWhenBound() {
        jakarta.validation.Validator validator = jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator();
        assertThat(validator.validate(new EngineProperties("gpu", true)))
                .singleElement().satisfies(v -> assertThat(v.getMessage()).isEqualTo("must be auto, vector or ojalgo"));
        assertThat(validator.validate(new EngineProperties("Vector", true))).isEmpty();
    }
}
