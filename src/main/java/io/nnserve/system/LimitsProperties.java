package io.nnserve.system;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every size limit of the service in one place ({@code nnserve.limits.*}), published at {@code GET /limits}.
 * The defaults admit Fashion-MNIST (60,000 x 784) and a 784-1024-10 network with room to spare while keeping
 * one request or job from exhausting a 2-core, few-GiB instance. Each is checked before anything is allocated.
 */
@Validated
@ConfigurationProperties("nnserve.limits")
public record LimitsProperties(
        /* Largest JSON request body, in bytes (datasets sent as JSON, predict, import). */
        @DefaultValue("67108864") @Positive long maxJsonBodyBytes,
        /* Largest upload (CSV, IDX; multipart or raw), in bytes after decompression as well as before. */
        @DefaultValue("268435456") @Positive long maxUploadBytes,
        /* Most rows in one dataset. */
        @DefaultValue("1000000") @Positive int maxRows,
        /* Most features per row. */
        @DefaultValue("100000") @Positive int maxFeatures,
        /* Most values (rows x features) in one dataset. */
        @DefaultValue("60000000") @Positive long maxDatasetValues,
        /* Most classes in one dataset. */
        @DefaultValue("1000") @Positive int maxClasses,
        /* Largest hidden layer. */
        @DefaultValue("4096") @Positive int maxHiddenSize,
        /* Most epochs of one job. */
        @DefaultValue("10000") @Positive int maxEpochs,
        /* Most iterations (epochs x iterations per epoch) of one job. */
        @DefaultValue("10000000") @Positive long maxIterations,
        /* Estimated memory of one job (weights, optimiser state, activations, checkpoint), in bytes. */
        @DefaultValue("1073741824") @Positive long maxJobMemoryBytes,
        /* Most rows in one predict request. */
        @DefaultValue("100000") @Positive int maxPredictRows,
        /* Queued plus running jobs; more answers 429 with Retry-After. */
        @DefaultValue("100") @Positive int maxActiveJobs,
        /* JSON parser: deepest nesting of arrays and objects. */
        @DefaultValue("64") @Positive int jsonMaxNestingDepth,
        /* JSON parser: longest number literal, in characters. */
        @DefaultValue("64") @Positive int jsonMaxNumberLength,
        /* JSON parser: longest string value, in characters. */
        @DefaultValue("1000000") @Positive int jsonMaxStringLength) {
}
