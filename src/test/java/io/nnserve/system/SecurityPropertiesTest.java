package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class SecurityPropertiesTest {

    @Test
    void parsesKeysWithAndWithoutScopes() {
        assertThat(ApiKey.parse("abcdefghijklmnop:train").scopes()).containsExactly(Scope.TRAIN);
        assertThat(ApiKey.parse(" abcdefghijklmnop:Train+PREDICT ").scopes())
                .containsExactlyInAnyOrder(Scope.TRAIN, Scope.PREDICT);
        assertThat(ApiKey.parse("abcdefghijklmnop").scopes()).containsExactlyInAnyOrder(Scope.values());
        assertThat(ApiKey.parse("abc+def/ghi=jklmnop:metrics").key()).isEqualTo("abc+def/ghi=jklmnop");
    }

    @Test
    void refusesShortOrOddKeysWithoutEchoingThem() {
        assertThatThrownBy(() -> ApiKey.parse("short:train")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16").hasMessageNotContaining("short");
        assertThatThrownBy(() -> ApiKey.parse("has spaces in the key!!:train"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("spaces");
        assertThatThrownBy(() -> ApiKey.parse("abcdefghijklmnop:admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("train, predict, metrics");
    }

    @Test
    void refusesAColonWithoutScopesInsteadOfGrantingEveryScope() {
        assertThatThrownBy(() -> ApiKey.parse("abcdefghijklmnop:")).hasMessageContaining("names no scope")
                .hasMessageNotContaining("abcdefghijklmnop");
        assertThatThrownBy(() -> ApiKey.parse("abcdefghijklmnop: ")).hasMessageContaining("names no scope");
        assertThat(ApiKey.parse("abcdefghijklmnop").scopes()).containsExactlyInAnyOrder(Scope.values());
    }

    @Test
    void refusesDuplicateKeys() {
        ApiKey key = ApiKey.parse("abcdefghijklmnop:train");
        assertThatThrownBy(() -> new SecurityProperties(List.of(key, ApiKey.parse("abcdefghijklmnop:predict")),
                false, true, List.of())).hasMessageContaining("twice");
    }

    @Test
    void neverPrintsKeys() {
        SecurityProperties properties = new SecurityProperties(List.of(ApiKey.parse("abcdefghijklmnop:train")),
                false, true, List.of());
        assertThat(properties.toString()).doesNotContain("abcdefghijklmnop").contains("1 key");
        assertThat(properties.authenticationEnabled()).isTrue();
    }
}
