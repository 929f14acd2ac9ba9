package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.nnserve.nn.EngineKernel;

class EngineSetupTest {

    @AfterEach
    void restoreDefaultKernel() {
        EngineKernel.use(EngineKernel.VECTOR);
    }

    @Test
    void propertyChoosesTheKernel() {
        new EngineSetup(new EngineProperties("ojalgo", false));
        assertThat(EngineKernel.current()).isEqualTo(EngineKernel.OJALGO);
        new EngineSetup(new EngineProperties(" Vector ", false));
        assertThat(EngineKernel.current()).isEqualTo(EngineKernel.VECTOR);
    }

    @Test
    void unknownKernelStopsTheStartWithTheEnginesMessage() {
        assertThatThrownBy(() -> new EngineSetup(new EngineProperties("blas", false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nnserve.engine.kernel must be 'vector' or 'ojalgo'");
    }
}
