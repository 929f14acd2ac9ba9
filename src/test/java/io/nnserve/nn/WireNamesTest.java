package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireNamesTest {

    @Test
    void everyEnumHasLowerCaseWireNamesThatParseBack() {
        assertThat(LossKind.SOFTMAX.wireName()).isEqualTo("softmax");
        assertThat(Precision.FLOAT32.wireName()).isEqualTo("float32");
        assertThat(RegularizationKind.parse("L2")).isEqualTo(RegularizationKind.L2);
        for (LossKind k : LossKind.values()) {
            assertThat(LossKind.parse(k.wireName())).isEqualTo(k);
        }
        for (InitKind k : InitKind.values()) {
            assertThat(InitKind.parse(k.wireName())).isEqualTo(k);
        }
        for (SamplingKind k : SamplingKind.values()) {
            assertThat(SamplingKind.parse(k.wireName())).isEqualTo(k);
        }
        for (Precision k : Precision.values()) {
            assertThat(Precision.parse(k.wireName())).isEqualTo(k);
        }
    }

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> LossKind.parse("hinge")).hasMessage("unknown loss 'hinge'; use one of: softmax, svm");
        assertThatThrownBy(() -> SamplingKind.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replacement, shuffle");
        assertThatThrownBy(() -> InitKind.parse("")).hasMessageContaining("gaussian, he");
    }
}
