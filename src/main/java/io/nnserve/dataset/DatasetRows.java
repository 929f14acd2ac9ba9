package io.nnserve.dataset;

/**
 * Consecutive rows of a stored dataset, starting at row {@code from}: {@code values} row-major
 * ({@code labels.length} rows of {@code summary.features()} values), {@code labels} class indices.
 */
record DatasetRows(DatasetSummary summary, int from, float[] values, int[] labels) {
}
