package io.nnserve.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the registry says about a model ({@code GET /models}, {@code GET /models/{id}}). Fields that do not apply
 * are null: an imported model has no job, dataset, seed or accuracies.
 */
public record ModelInfo(
        String id,
        @Schema(description = "inputSize-hiddenSize-numClasses", example = "64-100-10") String architecture,
        int inputSize,
        int hiddenSize,
        int numClasses,
        @Schema(description = "softmax or svm (svm models' probabilities are uncalibrated)") String loss,
        @Schema(description = "none, scale or standardize; applied by the model to raw inputs") String preprocessing,
        List<String> classNames,
        @Schema(nullable = true) String datasetId,
        @Schema(nullable = true) String datasetName,
        @Schema(nullable = true) String jobId,
        @Schema(nullable = true) Long seed,
        @Schema(description = "float64 or float32: the precision the model was trained in (or imported as), and of its"
                + " forward pass") String precision,
        @Schema(nullable = true) Double trainAccuracy,
        @Schema(nullable = true) Double valAccuracy,
        @Schema(description = "the effective training request, defaults filled in", nullable = true) Map<String, Object> hyperparameters,
        Instant createdAt) {
}
