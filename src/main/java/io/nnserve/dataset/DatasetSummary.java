package io.nnserve.dataset;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the API says about a registered dataset (the fixed field names of the contract, and {@code featureNames}: the
 * feature columns' names in order when the upload named them, a CSV header; null for JSON and IDX uploads).
 */
public record DatasetSummary(String id, String name, int rows, int features, int classes, List<String> classNames,
                             @Schema(nullable = true, description = "The feature columns' names in order, from the"
                                     + " CSV header; null for JSON and IDX uploads. A validation dataset may not"
                                     + " have a column of these at another position")
                             List<String> featureNames,
                             Instant createdAt) {
}
