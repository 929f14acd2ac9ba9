package io.nnserve.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /datasets/{id}/rows}: a few rows of a dataset as they were registered, with their labels, so that a
 * person (or the dashboard's predict form) can look at the data and send a row to {@code POST /predict}.
 */
@RestController
@Tag(name = "Datasets")
class DatasetRowsController {

    private final DatasetService datasets;

    DatasetRowsController(DatasetService datasets) {
        this.datasets = datasets;
    }

    /** One page of rows: {@code rows[k]} is row {@code offset + k} of the dataset. */
    record RowsPage(String datasetId, int offset, int total, List<Row> rows) {
    }

    /** A row's feature values (raw, as registered), its class index and class name. */
    record Row(int index, float[] features, int label,
               @Schema(description = "null when the dataset has no name for the label", nullable = true) String className) {
    }

    @GetMapping(path = "/datasets/{id}/rows", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Read rows of a dataset",
            description = "Rows `offset` to `offset + limit - 1` (fewer at the end), each with its raw feature values,"
                    + " class index and class name. 404 for an unknown dataset; 400 for an offset past the last row.")
    RowsPage rows(@Parameter(example = "digits") @PathVariable String id,
            @Parameter(description = "the first row, from 0") @RequestParam(defaultValue = "0") @Min(0) int offset,
            @Parameter(description = "most rows to return") @RequestParam(defaultValue = "10") @Min(1) @Max(1000) int limit) {
        DatasetRows page = datasets.rows(id, offset, limit);
        DatasetSummary summary = page.summary();
        int features = summary.features();
        List<Row> rows = new ArrayList<>(page.labels().length);
        for (int k = 0; k < page.labels().length; k++) {
            int label = page.labels()[k];
            String className = label < summary.classNames().size() ? summary.classNames().get(label) : null;
            rows.add(new Row(page.from() + k, Arrays.copyOfRange(page.values(), k * features, (k + 1) * features),
                    label, className));
        }
        return new RowsPage(summary.id(), page.from(), summary.rows(), rows);
    }
}
