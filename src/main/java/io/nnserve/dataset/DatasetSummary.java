package io.nnserve.dataset;

import java.time.Instant;
import java.util.List;

/** What the API says about a registered dataset (the fixed field names of the contract). */
public record DatasetSummary(String id, String name, int rows, int features, int classes, List<String> classNames,
                             Instant createdAt) {
}
