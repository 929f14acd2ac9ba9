package io.nnserve.dataset;

import io.swagger.v3.oas.annotations.media.Schema;

/** The multipart form of a dataset upload, as documented in OpenAPI: a CSV file, or a pair of IDX files. */
@Schema(name = "DatasetFiles", description = "Either 'file' (CSV) or both 'images' and 'labels' (IDX)")
record DatasetFiles(
        @Schema(type = "string", format = "binary", description = "A CSV file with a header row (may be gzipped)")
        String file,
        @Schema(type = "string", format = "binary", description = "IDX images, idx3-ubyte, gzipped or raw")
        String images,
        @Schema(type = "string", format = "binary", description = "IDX labels, idx1-ubyte, gzipped or raw")
        String labels) {
}
