package io.nnserve.system;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where data lives and how much of it is held in memory ({@code nnserve.storage.*}).
 *
 * @param dataDir              directory of the embedded H2 database (the datasource URL refers to it)
 * @param modelCacheSize       most trained models held in memory, ready to predict (least recently used leave first)
 * @param modelCacheMaxBytes   most bytes of weights held by that cache; a single larger model is still served
 * @param modelRevalidateAfter how long a cached model is served before this instance asks the database again
 *                             whether it still exists (a model deleted on another instance stops being served here
 *                             at most this long after); {@code 0s} asks on every request
 * @param verifyModelsOnStart  check every stored model's checksum once in the background after start-up, so that
 *                             readiness reports damaged models before anyone asks for them
 * @param exampleModel         store the built-in model {@code iris-example} at start-up when it is missing, so that
 *                             the prediction examples work on a fresh start
 */
@Validated
@ConfigurationProperties("nnserve.storage")
public record StorageProperties(
        @DefaultValue("./data") @NotBlank String dataDir,
        @DefaultValue("32") @Positive int modelCacheSize,
        @DefaultValue("1073741824") @Positive long modelCacheMaxBytes,
        @DefaultValue("1s") Duration modelRevalidateAfter,
        @DefaultValue("true") boolean verifyModelsOnStart,
        @DefaultValue("true") boolean exampleModel) {

    public StorageProperties {
        if (modelRevalidateAfter.isNegative()) {
            throw new IllegalArgumentException("nnserve.storage.model-revalidate-after must not be negative");
        }
    }
}
