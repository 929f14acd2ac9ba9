package io.nnserve.prediction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.nnserve.system.EchoedText;
import io.nnserve.model.ModelInfo;
import io.nnserve.model.ModelService;
import io.nnserve.model.NumericArray;
import io.nnserve.prediction.InferenceProtocol.InferRequest;
import io.nnserve.prediction.InferenceProtocol.InferResponse;
import io.nnserve.prediction.InferenceProtocol.InputTensor;
import io.nnserve.prediction.InferenceProtocol.ModelMetadata;
import io.nnserve.prediction.InferenceProtocol.ModelReady;
import io.nnserve.prediction.InferenceProtocol.OutputTensor;
import io.nnserve.prediction.InferenceProtocol.RequestedOutput;
import io.nnserve.prediction.InferenceProtocol.ServerLive;
import io.nnserve.prediction.InferenceProtocol.ServerMetadata;
import io.nnserve.prediction.InferenceProtocol.ServerReady;
import io.nnserve.prediction.InferenceProtocol.TensorMetadata;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The Open Inference Protocol (KServe v2) over HTTP/JSON. A model's name is its id and it has one version, "1".
 * It takes one input tensor, FP32 or FP64, shape [rows, inputSize], data flat or nested in row-major order, and
 * gives outputs "scores" and "probabilities" (or those named in the request's "outputs"), always FP64 with shape
 * [rows, numClasses]: the computation is float64, and rounding results to FP32 would only lose digits. Errors are
 * {@code {"error": "..."}} (see {@link InferenceProtocolErrors}), not problem+json.
 */
@RestController
@RequestMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Open Inference Protocol (KServe v2)", description = "Models by id, version 1; errors as {\"error\": ...}")
class OpenInferenceController {

    static final String VERSION = "1";
    static final String SCORES = "scores";
    static final String PROBABILITIES = "probabilities";

    private final PredictionService predictions;
    private final ModelService models;
    private final ApplicationAvailability availability;
    private final ObjectProvider<HealthEndpoint> health;

    OpenInferenceController(PredictionService predictions, ModelService models, ApplicationAvailability availability,
                            ObjectProvider<HealthEndpoint> health) {
        this.predictions = predictions;
        this.models = models;
        this.availability = availability;
        this.health = health;
    }

    @GetMapping
    @Operation(summary = "Server metadata")
    ServerMetadata server() {
        String version = OpenInferenceController.class.getPackage().getImplementationVersion();
        return new ServerMetadata("nnserve", version == null ? "dev" : version, List.of());
    }

    @GetMapping("/health/live")
    @Operation(summary = "Server liveness: 200 when live")
    @ApiResponse(responseCode = "200", description = "Live")
    @ApiResponse(responseCode = "503", description = "Not live: the service is broken and should be restarted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ServerLive.class)))
    ResponseEntity<ServerLive> live() {
        boolean live = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(new ServerLive(live));
    }

    @GetMapping("/health/ready")
    @Operation(summary = "Server readiness: 200 when ready, 503 otherwise (starting, shutting down, database away)",
            description = "The same answer as /actuator/health/readiness: a load balancer may use either.")
    @ApiResponse(responseCode = "200", description = "Accepting traffic")
    @ApiResponse(responseCode = "503", description = "Not accepting traffic (starting, shutting down, or the database"
            + " cannot be reached)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ServerReady.class)))
    ResponseEntity<ServerReady> ready() {
        // the actuator's readiness group (application state, database, models), so that the two probes agree; the
        // application state alone where the health endpoint is turned off
        HealthEndpoint health = this.health.getIfAvailable();
        boolean ready = health != null ? Status.UP.equals(health.healthForPath("readiness").getStatus())
                : availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(new ServerReady(ready));
    }

    @GetMapping({"/models/{name}", "/models/{name}/versions/{version}"})
    @Operation(summary = "Model metadata: input [-1, inputSize], outputs scores and probabilities [-1, numClasses]")
    ModelMetadata metadata(@Parameter(example = "iris-example") @PathVariable String name,
            @Parameter(example = VERSION) @PathVariable(required = false) String version) {
        checkVersion(name, version);
        ModelInfo info = models.info(name);
        return new ModelMetadata(info.id(), List.of(VERSION), "nnserve",
                List.of(new TensorMetadata("input", "FP64", new long[] {-1, info.inputSize()})),
                List.of(new TensorMetadata(SCORES, "FP64", new long[] {-1, info.numClasses()}),
                        new TensorMetadata(PROBABILITIES, "FP64", new long[] {-1, info.numClasses()})));
    }

    @GetMapping({"/models/{name}/ready", "/models/{name}/versions/{version}/ready"})
    @Operation(summary = "Model readiness: loads the model (verifying its checksum); 200 when it can serve, 404 unknown, 409 damaged")
    @ApiResponse(responseCode = "200", description = "The model can serve")
    @ApiResponse(responseCode = "409", description = "The stored model is damaged (its checksum or shapes do not match); it cannot serve")
    ModelReady modelReady(@Parameter(example = "iris-example") @PathVariable String name,
            @Parameter(example = VERSION) @PathVariable(required = false) String version) {
        checkVersion(name, version);
        return new ModelReady(models.serving(name).id(), true);
    }

    @PostMapping(path = {"/models/{name}/infer", "/models/{name}/versions/{version}/infer"})
    @Operation(summary = "Inference",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = @ExampleObject(name = "iris-example", value = """
                            {"id": "req-1", "inputs": [{"name": "input", "shape": [2, 4], "datatype": "FP64",
                              "data": [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]}],
                             "outputs": [{"name": "probabilities"}]}
                            """))))
    @ApiResponse(responseCode = "200", description = "The requested outputs, one row per input row")
    @ApiResponse(responseCode = "409", description = "The stored model is damaged (its checksum or shapes do not match); it cannot serve")
    InferResponse infer(@Parameter(example = "iris-example") @PathVariable String name,
            @Parameter(example = VERSION) @PathVariable(required = false) String version,
                        @RequestBody InferRequest request) {
        checkVersion(name, version);
        if (request.inputs() == null || request.inputs().size() != 1 || request.inputs().get(0) == null) {
            throw PredictionService.invalid("inputs", "must hold exactly one tensor, of shape [rows, inputSize]");
        }
        refuseBinaryData(request);
        List<String> wanted = outputs(request.outputs());
        NumericArray rows = rows(request.inputs().get(0));
        PredictionService.Scored scored = predictions.score(name, rows, "inputs[0]", wanted.contains(PROBABILITIES));
        long[] shape = {scored.rows(), scored.classes()};
        List<OutputTensor> outputs = new ArrayList<>(wanted.size());
        for (String output : wanted) {
            outputs.add(new OutputTensor(output, "FP64", shape,
                    output.equals(SCORES) ? scored.scores() : scored.probabilities()));
        }
        return new InferResponse(scored.model().id(), VERSION, request.id(), outputs);
    }

    /** The input tensor as rows: its declared shape and datatype checked against its data. */
    private static NumericArray rows(InputTensor input) {
        String field = "inputs[0]";
        if (!"FP64".equals(input.datatype()) && !"FP32".equals(input.datatype())) {
            throw PredictionService.invalid(field + ".datatype", "must be FP32 or FP64, got "
                    + EchoedText.shorten(input.datatype()));
        }
        long[] shape = input.shape();
        if (shape == null || shape.length != 2 || shape[0] < 1 || shape[1] < 1
                || shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE) {
            throw PredictionService.invalid(field + ".shape", "must be [rows, inputSize], each from 1 to "
                    + Integer.MAX_VALUE + ", got "
                    + Arrays.toString(shape));
        }
        NumericArray data = input.data();
        if (data == null) {
            throw PredictionService.invalid(field + ".data", "is required: the values, row-major, flat or nested");
        }
        if (shape[0] * shape[1] != data.size()) {
            throw PredictionService.invalid(field + ".data", "has " + data.size() + " values, but shape "
                    + Arrays.toString(shape) + " needs " + shape[0] * shape[1]);
        }
        if (data.rank() > 1 && !Arrays.equals(data.shape(), new int[] {(int) shape[0], (int) shape[1]})) {
            throw PredictionService.invalid(field + ".data", "is nested as " + Arrays.toString(data.shape())
                    + ", but shape says " + Arrays.toString(shape));
        }
        double[] values = data.values();
        if ("FP32".equals(input.datatype())) {
            // What a binary FP32 tensor would carry: the nearest float of each value. Beyond FP32's range the
            // nearest is an infinity, which no FP32 tensor of real data holds: the client meant another datatype.
            for (int i = 0; i < values.length; i++) {
                float value = (float) values[i];
                if (Float.isInfinite(value)) {
                    throw outsideFp32(field + ".data", values, i, (int) shape[1]);
                }
                values[i] = value;
            }
        }
        return NumericArray.matrix(values, (int) shape[0], (int) shape[1]);
    }

    private static InvalidInputException outsideFp32(String field, double[] values, int first, int columns) {
        int more = 0;
        for (int i = first + 1; i < values.length; i++) {
            if (Float.isInfinite((float) values[i])) {
                more++;
            }
        }
        return PredictionService.invalid(field, "holds " + values[first] + " at position " + first + " (row "
                + first / columns + ", column " + first % columns + "), outside FP32's range (about ±3.4e38)"
                + (more > 0 ? ", and " + more + " more value(s) beyond it" : "")
                + "; declare the tensor FP64 or send values within FP32's range");
    }

    /**
     * The binary tensor data extension is not spoken here (the server metadata lists no extension): a client that
     * asks for binary outputs and got JSON would read the JSON as tensor bytes, so asking is a 400, not ignored.
     */
    private static void refuseBinaryData(InferRequest request) {
        String refusal = "asks for binary tensor data, an extension nnserve does not support: leave it out (or false),"
                + " and the outputs come as JSON";
        if (asksForBinary(request.parameters(), "binary_data_output")) {
            throw PredictionService.invalid("parameters.binary_data_output", refusal);
        }
        List<RequestedOutput> outputs = request.outputs() == null ? List.of() : request.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) != null && asksForBinary(outputs.get(i).parameters(), "binary_data")) {
                throw PredictionService.invalid("outputs[" + i + "].parameters.binary_data", refusal);
            }
        }
    }

    private static boolean asksForBinary(Map<String, Object> parameters, String name) {
        return parameters != null && Boolean.TRUE.equals(parameters.get(name));
    }

    private static List<String> outputs(List<RequestedOutput> requested) {
        if (requested == null || requested.isEmpty()) {
            return List.of(SCORES, PROBABILITIES);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            String name = requested.get(i) == null ? null : requested.get(i).name();
            if (!SCORES.equals(name) && !PROBABILITIES.equals(name)) {
                throw PredictionService.invalid("outputs[" + i + "].name", "must be scores or probabilities, got "
                        + EchoedText.shorten(name));
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static void checkVersion(String name, String version) {
        if (version != null && !VERSION.equals(version)) {
            // Reads "version '2' of model 'x' does not exist".
            throw new NotFoundException("version", version + "' of model '" + name);
        }
    }
}
