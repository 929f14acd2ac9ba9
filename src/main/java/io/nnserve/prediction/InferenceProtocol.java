package io.nnserve.prediction;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.nnserve.model.NumericArray;
import io.swagger.v3.oas.annotations.media.Schema;

/** The JSON documents of the Open Inference Protocol (KServe v2) and of KServe v1, as nnserve speaks them. */
final class InferenceProtocol {

    private InferenceProtocol() {
    }

    record ServerMetadata(String name, String version, List<String> extensions) {
    }

    record ServerLive(boolean live) {
    }

    record ServerReady(boolean ready) {
    }

    record ModelReady(String name, boolean ready) {
    }

    record TensorMetadata(String name, String datatype, long[] shape) {
    }

    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                         List<TensorMetadata> outputs) {
    }

    record InferRequest(
            @Schema(description = "echoed in the response") String id,
            Map<String, Object> parameters,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<InputTensor> inputs,
            @Schema(description = "the outputs wanted (scores, probabilities); all when absent") List<RequestedOutput> outputs) {
    }

    record InputTensor(
            String name,
            @Schema(description = "[rows, inputSize]", example = "[2, 4]") long[] shape,
            @Schema(description = "FP32 or FP64", example = "FP64") String datatype,
            Map<String, Object> parameters,
            @Schema(description = "row-major values, flat or nested", example = "[5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]")
            NumericArray data) {
    }

    record RequestedOutput(String name, Map<String, Object> parameters) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferResponse(@JsonProperty("model_name") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String modelName,
                         @JsonProperty("model_version") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String modelVersion,
                         @Schema(description = "the request's id; left out when it had none") String id,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<OutputTensor> outputs) {
    }

    record OutputTensor(String name, String datatype, long[] shape, double[] data) {
    }

    /** Every error of these endpoints, as the protocol has it. */
    record ErrorBody(String error) {
    }

    /** KServe v1 {@code :predict} request: the rows as {@code instances} or as {@code inputs} (the protocol takes both). */
    record V1Request(@Schema(description = "rows of raw feature values", example = "[[5.1, 3.5, 1.4, 0.2]]")
                     NumericArray instances,
                     @Schema(description = "the same rows under the protocol's other name; give one of the two")
                     NumericArray inputs) {

        NumericArray rows() {
            if (instances != null && inputs != null) {
                throw PredictionService.invalid("inputs",
                        "and 'instances' are two names for the rows: give one of them");
            }
            return inputs != null ? inputs : instances;
        }

        /** The name the client gave its rows, for error messages ("instances" when it gave none). */
        String rowsField() {
            return inputs != null && instances == null ? "inputs" : "instances";
        }
    }

    /** KServe v1 model list. */
    record V1ModelList(List<String> models) {
    }

    /** KServe v1 answer: one element per instance, in order. */
    record V1Response(List<PredictResponse.Prediction> predictions) {
    }

    record V1ModelStatus(String name, boolean ready) {
    }
}
