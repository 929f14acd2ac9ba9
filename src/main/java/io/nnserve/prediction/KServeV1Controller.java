package io.nnserve.prediction;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.nnserve.model.ModelService;
import io.nnserve.prediction.InferenceProtocol.V1ModelList;
import io.nnserve.prediction.InferenceProtocol.V1ModelStatus;
import io.nnserve.prediction.InferenceProtocol.V1Request;
import io.nnserve.prediction.InferenceProtocol.V1Response;
import io.nnserve.system.NotFoundException;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * KServe's v1 protocol: {@code {"instances": [[...], ...]}} (or the same rows as {@code "inputs"}) in,
 * {@code {"predictions": [...]}} out, one element per instance in order, each
 * {@code {"label", "className", "probabilities"}} as {@code /predict} gives with its default output. Errors are
 * {@code {"error": "..."}}.
 */
@RestController
@Tag(name = "KServe v1", description = "instances in, predictions out; errors as {\"error\": ...}")
class KServeV1Controller {

    private final PredictionService predictions;
    private final ModelService models;

    KServeV1Controller(PredictionService predictions, ModelService models) {
        this.predictions = predictions;
        this.models = models;
    }

    @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List models: the id of every stored model, oldest first, the built-in example included")
    @ApiResponse(responseCode = "200", description = "The models this instance can serve")
    V1ModelList list() {
        return new V1ModelList(models.ids());
    }

    // The name has no colon (model ids never do): "x:predict" is the predict path, and a GET there is a 405, not
    // "no model named x:predict".
    @GetMapping(path = "/v1/models/{name:[^:]+}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Model status: loads the model; ready when it can serve (404 unknown, 409 damaged)")
    @ApiResponse(responseCode = "200", description = "The model can serve")
    @ApiResponse(responseCode = "409", description = "The stored model is damaged (its checksum or shapes do not match); it cannot serve")
    V1ModelStatus status(@Parameter(example = "iris-example") @PathVariable String name) {
        return new V1ModelStatus(models.serving(name).id(), true);
    }

    @PostMapping(path = "/v1/models/{name}:predict", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict: each instance is a row of raw feature values (the rows may also come as \"inputs\")",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = @ExampleObject(name = "iris-example", value = """
                            {"instances": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}
                            """))))
    @ApiResponse(responseCode = "200", description = "One prediction per instance, in order")
    @ApiResponse(responseCode = "409", description = "The stored model is damaged (its checksum or shapes do not match); it cannot serve")
    V1Response predict(@Parameter(example = "iris-example") @PathVariable String name, @RequestBody V1Request request) {
        PredictionService.Scored scored = predictions.score(name, request.rows(), request.rowsField(), true);
        return new V1Response(scored.perRow(true, false));
    }

    /**
     * The protocol's other verbs ({@code :explain}): without this, {@code POST /v1/models/x:explain} would match the
     * status endpoint's path with the name "x:explain" and answer 405, as if the path were right and the method
     * wrong. nnserve has no explainer: the verb names no endpoint.
     */
    @PostMapping(path = "/v1/models/{name}:{verb}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Hidden
    V1Response otherVerb(@PathVariable String name, @PathVariable String verb) {
        throw new NotFoundException("There is no ':" + verb + "' endpoint: of KServe v1's verbs nnserve serves"
                + " ':predict' only (POST /v1/models/" + name + ":predict).");
    }
}
