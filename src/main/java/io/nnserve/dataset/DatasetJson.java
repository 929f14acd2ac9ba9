package io.nnserve.dataset;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The JSON form of a dataset upload, as documented in OpenAPI. The body is read token by token by
 * {@link JsonDatasetParser} (a large dataset never becomes a tree of boxed numbers); this record only describes it.
 */
@Schema(name = "DatasetUpload", description = "A dataset sent as JSON")
record DatasetJson(
        @Schema(description = "A name for people; defaults to 'dataset'", example = "xor", maxLength = Names.MAX_LENGTH)
        String name,
        @ArraySchema(arraySchema = @Schema(description = "One row per sample, each with the same number of finite numbers",
                example = "[[0, 0], [0, 1], [1, 0], [1, 1]]"))
        List<List<Double>> features,
        @ArraySchema(arraySchema = @Schema(description = "One label per row: class indices 0..C-1, or class names"
                + " (then classNames defaults to their order of first appearance)", example = "[\"no\", \"yes\", \"yes\", \"no\"]"))
        List<Object> labels,
        @ArraySchema(arraySchema = @Schema(description = "Optional: the class names in label order (at least 2, distinct)",
                example = "[\"no\", \"yes\"]"))
        List<String> classNames) {
}
