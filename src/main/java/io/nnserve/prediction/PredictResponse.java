package io.nnserve.prediction;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /predict} answer: one prediction per input row, in order. */
record PredictResponse(String modelId, List<Prediction> predictions) {

    /**
     * The arrays not asked for are left out (never null): {@code output=scores} gives no {@code probabilities} field,
     * {@code output=probabilities} no {@code scores} field.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Prediction(
            @Schema(description = "index of the highest-scoring class", requiredMode = Schema.RequiredMode.REQUIRED) int label,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String className,
            @Schema(description = "softmax of the scores; sums to 1 (uncalibrated for svm models)") double[] probabilities,
            @Schema(description = "raw class scores of the network") double[] scores) {
    }
}
