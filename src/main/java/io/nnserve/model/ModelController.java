package io.nnserve.model;

import java.net.URI;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The model registry over HTTP: list, inspect, delete, export and import. */
@RestController
@RequestMapping(path = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Models", description = "Trained and imported models: the registry, and the portable JSON format")
class ModelController {

    /** A 4-2-3 model for iris-shaped rows (4 features, 3 classes), small enough to read; importable as it is. */
    static final String IMPORT_EXAMPLE = """
            {"format": "nnserve-model", "version": 1, "inputSize": 4, "hiddenSize": 2, "numClasses": 3,
             "classNames": ["setosa", "versicolor", "virginica"], "loss": "softmax", "precision": "float64",
             "preprocessing": {"kind": "standardize", "offset": [5.84, 3.06, 3.76, 1.2], "scale": [0.83, 0.43, 1.76, 0.76]},
             "W1": [[0.5, -0.4], [-0.6, 0.3], [1.2, -1.1], [1.1, -1.0]], "b1": [0.1, 0.1],
             "W2": [[-2.0, 0.4, 2.0], [2.0, 0.2, -2.0]], "b2": [0.0, 0.5, -0.5]}
            """;

    private final ModelService models;

    ModelController(ModelService models) {
        this.models = models;
    }

    @GetMapping
    @Operation(summary = "List models, newest first")
    List<ModelInfo> list(
            @Parameter(description = "most models to return") @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @Parameter(description = "models to skip") @RequestParam(defaultValue = "0") @Min(0) int offset) {
        return models.list(limit, offset);
    }

    @GetMapping("/{id}")
    @Operation(summary = "A model: architecture, hyperparameters, dataset, class names, preprocessing, accuracies")
    ModelInfo get(@Parameter(example = ExampleModel.ID) @PathVariable String id) {
        return models.info(id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a model (every instance stops serving it within nnserve.storage.model-revalidate-after)",
            description = "204 when deleted; 404 for an unknown id; 409 while a queued or running job starts from it"
                    + " (its initialModelId): wait for the job or cancel it. A deleted built-in " + ExampleModel.ID
                    + " is stored again at the next start.")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "409", description = "A queued or running job starts from this model")
    // no example id: Swagger UI's "Try it out" would otherwise offer to delete the built-in model with one click
    ResponseEntity<Void> delete(@Parameter(description = "the id of the model to delete") @PathVariable String id) {
        models.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/export")
    @Operation(summary = "The model in nnserve's portable JSON format (importable with POST /models/import)",
            description = "Numbers are written in their shortest exact form and the model's precision is included,"
                    + " so the model imported again predicts bit for bit the same.")
    @ApiResponse(responseCode = "200", description = "The model, importable with POST /models/import")
    @ApiResponse(responseCode = "409", description = "The stored model is damaged (its checksum or shapes do not match); it cannot serve")
    ResponseEntity<ModelExport> export(@Parameter(example = ExampleModel.ID) @PathVariable String id) {
        ModelExport export = models.export(id);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"model-" + id + ".json\"")
                .body(export);
    }

    @PostMapping(path = "/import", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import a model in the portable JSON format; it gets a new id",
            description = "precision is optional (float64 when absent, as in exports written before it existed);"
                    + " a float32 model must hold only exact float32 weights and biases, and is served in float32."
                    + " Every problem is listed in one 400.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = @ExampleObject(name = "iris-shaped", value = IMPORT_EXAMPLE))))
    @ApiResponse(responseCode = "201", description = "imported; Location names the new model",
            headers = @Header(name = "Location", description = "/models/{id} of the new model", schema = @Schema(type = "string")))
    ResponseEntity<ModelInfo> importModel(@RequestBody ModelExport export) {
        ModelInfo info = models.importModel(export);
        return ResponseEntity.created(URI.create("/models/" + info.id())).body(info);
    }
}
