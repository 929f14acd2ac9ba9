package io.nnserve.dataset;

import io.nnserve.system.LimitsProperties;

/**
 * The size limits that apply while a dataset is read: from {@code nnserve.limits.*} for uploads, or none for
 * the built-in samples, which ship with the service and must register whatever an operator configures.
 */
record SizeLimits(int maxRows, int maxFeatures, long maxDatasetValues, int maxClasses, long maxUploadBytes) {

    /** No limits beyond what Java arrays allow. */
    static final SizeLimits TRUSTED = new SizeLimits(Integer.MAX_VALUE - 8, Integer.MAX_VALUE - 8,
            Integer.MAX_VALUE - 8, Integer.MAX_VALUE - 8, Long.MAX_VALUE);

    static SizeLimits of(LimitsProperties limits) {
        return new SizeLimits(limits.maxRows(), limits.maxFeatures(), limits.maxDatasetValues(), limits.maxClasses(),
                limits.maxUploadBytes());
    }
}
