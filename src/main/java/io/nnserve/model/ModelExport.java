package io.nnserve.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The portable JSON form of a model (DESIGN.md), written by {@code GET /models/{id}/export} and read by
 * {@code POST /models/import}. Numbers are written in Java's shortest round-trip form, so an export read back holds
 * bit-identical weights and predicts exactly what the original does. That needs the precision too: a float32 model
 * runs a float32 forward pass, so an import that forgot it would answer different scores from the same weights.
 * {@code precision} was added after version 1 was published, so it is optional on import (absent means float64, what
 * every model was before float32 training). Fields are boxed so that a missing one is reported with every other
 * problem of the document at once.
 */
@JsonPropertyOrder({"format", "version", "inputSize", "hiddenSize", "numClasses", "classNames", "loss",
        "precision", "preprocessing", "W1", "b1", "W2", "b2"})
@Schema(description = "A model in nnserve's portable format")
public record ModelExport(
        @Schema(example = "nnserve-model") String format,
        @Schema(example = "1") Integer version,
        Integer inputSize,
        Integer hiddenSize,
        Integer numClasses,
        List<String> classNames,
        @Schema(description = "softmax or svm") String loss,
        @Schema(description = "float64 or float32: the precision of the model's forward pass (its training precision)."
                + " Optional on import, float64 when absent; a float32 model's weights and biases must all be exact"
                + " float32 values (as its export writes them), its preprocessing offset and scale may be any number",
                allowableValues = {"float64", "float32"}, defaultValue = "float64", example = "float64")
        String precision,
        Preprocessing preprocessing,
        @JsonProperty("W1") @Schema(description = "inputSize rows of hiddenSize numbers") NumericArray w1,
        @JsonProperty("b1") @Schema(description = "hiddenSize numbers") NumericArray b1,
        @JsonProperty("W2") @Schema(description = "hiddenSize rows of numClasses numbers") NumericArray w2,
        @JsonProperty("b2") @Schema(description = "numClasses numbers") NumericArray b2) {

    public static final String FORMAT = "nnserve-model";
    public static final int VERSION = 1;

    /** A raw row x is fed to the network as (x - offset) / scale, per feature. */
    public record Preprocessing(@Schema(description = "none, scale or standardize") String kind,
                                NumericArray offset, NumericArray scale) {
    }
}
