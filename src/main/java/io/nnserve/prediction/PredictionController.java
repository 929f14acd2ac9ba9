package io.nnserve.prediction;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.nnserve.system.EchoedText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code POST /predict}: class scores and/or probabilities for raw feature rows. */
@RestController
@Tag(name = "Prediction", description = "Predictions with a stored model")
class PredictionController {

    private final PredictionService predictions;

    PredictionController(PredictionService predictions) {
        this.predictions = predictions;
    }

    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict classes for rows of raw features",
            description = "Each row gets the label (argmax of the scores), its class name and the arrays asked for by"
                    + " 'output': probabilities (default; the stable softmax of the scores, uncalibrated for svm"
                    + " models), scores, or both. Arrays not asked for are left out.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = @ExampleObject(name = "iris-example", value = """
                            {"modelId": "iris-example", "inputs": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]], "output": "both"}
                            """))))
    @ApiResponse(responseCode = "200", description = "One prediction per input row, in order")
    @ApiResponse(responseCode = "409", description = "The stored model is damaged (its checksum or shapes do not match); it cannot serve")
    @ApiResponse(responseCode = "404", description = "No model has this modelId")
    PredictResponse predict(@RequestBody PredictRequest request) {
        if (request.modelId() == null || request.modelId().isBlank()) {
            throw PredictionService.invalid("modelId", "is required");
        }
        Output output = Output.parse(request.output());
        PredictionService.Scored scored = predictions.score(request.modelId(), request.inputs(), "inputs",
                output != Output.SCORES);
        return new PredictResponse(scored.model().id(),
                scored.perRow(output != Output.SCORES, output != Output.PROBABILITIES));
    }

    enum Output {
        PROBABILITIES, SCORES, BOTH;

        static Output parse(String value) {
            if (value == null) {
                return PROBABILITIES;
            }
            for (Output output : values()) {
                if (output.name().equalsIgnoreCase(value)) {
                    return output;
                }
            }
            throw PredictionService.invalid("output", "must be probabilities, scores or both, got "
                    + EchoedText.quote(value));
        }
    }
}
