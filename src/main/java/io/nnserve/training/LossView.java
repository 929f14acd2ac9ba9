package io.nnserve.training;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code GET /jobs/{id}/loss}: {@code loss[k]} is the minibatch loss of iteration {@code since + k}. */
@Schema(name = "LossHistory")
public record LossView(String jobId, long since, double[] loss, List<EpochView> epochs) {

    /** One finished epoch; {@code valAccuracy} is null without validation data. */
    @Schema(name = "EpochMetrics")
    public record EpochView(int epoch, double trainAccuracy, @Schema(nullable = true) Double valAccuracy,
                            double learningRate) {
    }
}
