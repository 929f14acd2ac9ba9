package io.nnserve.dataset;

import java.util.List;

/**
 * A parsed and validated upload, ready to be stored: nothing in it needs checking again. {@code featureNames} are the
 * feature columns' names in order when the upload named them (a CSV header), else null.
 */
record NewDataset(String name, int rows, int features, List<String> classNames, EncodedValues values, int[] labels,
                  List<String> featureNames) {
}
