package io.nnserve.dataset;

import java.util.List;

/** A parsed and validated upload, ready to be stored: nothing in it needs checking again. */
record NewDataset(String name, int rows, int features, List<String> classNames, EncodedValues values, int[] labels) {
}
