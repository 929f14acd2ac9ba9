package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.nnserve.NnserveApplication;

/**
 * A start-up stopped by a malformed {@code nnserve.security.api-keys} says what is wrong and shows none of the keys,
 * the valid ones included (Spring Boot's own report prints the property's whole value).
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeysFailureAnalyzerTest {

    private static final String GOOD = "goodsecret0123456789AB";
    private static final String OTHER = "othersecret0123456789";

    @Test
    void aScopeTypoStopsTheStartWithoutPrintingAnyKey(CapturedOutput output, @TempDir Path dir) {
        assertThatThrownBy(() -> start(dir, GOOD + ":train," + OTHER + ":predcit")).isNotNull();
        assertThat(output.getAll()).contains("Failed to bind 'nnserve.security.api-keys", "unknown scope 'predcit'",
                "The value is not shown", "with scopes train, predict and metrics").doesNotContain(GOOD).doesNotContain(OTHER);
    }

    @Test
    void aShortKeyOrATwiceListedOneAlike(CapturedOutput output, @TempDir Path dir) {
        assertThatThrownBy(() -> start(dir, GOOD + ":train,short1:predict")).isNotNull();
        assertThatThrownBy(() -> start(dir, GOOD + ":train," + GOOD + ":predict")).isNotNull();
        assertThat(output.getAll()).contains("a key of 6 characters was given", "the same key twice")
                .doesNotContain(GOOD).doesNotContain("short1");
    }

    private static void start(Path dir, String keys) {
        new SpringApplicationBuilder(NnserveApplication.class)
                .properties("nnserve.security.api-keys=" + keys, "server.port=0",
                        "nnserve.storage.data-dir=" + dir, "nnserve.engine.warm-up=false")
                .run().close();
    }
}
