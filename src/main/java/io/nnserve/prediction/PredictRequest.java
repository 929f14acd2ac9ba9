package io.nnserve.prediction;

import io.nnserve.model.NumericArray;
import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /predict}: raw feature rows (the model applies its own preprocessing). */
record PredictRequest(
        @Schema(description = "the model's id", example = "iris-example", requiredMode = Schema.RequiredMode.REQUIRED)
        String modelId,
        @Schema(description = "rows of raw feature values, each as long as the model's inputSize",
                example = "[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]", requiredMode = Schema.RequiredMode.REQUIRED)
        NumericArray inputs,
        @Schema(description = "probabilities (default), scores or both", example = "both",
                allowableValues = {"probabilities", "scores", "both"})
        String output) {
}
