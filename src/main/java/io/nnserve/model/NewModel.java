package io.nnserve.model;

import java.util.List;
import java.util.Map;

import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Preprocessing;

/**
 * A trained network handed to the registry by the job that trained it (or by an import, where the job fields are
 * null). {@code loss} is "softmax" or "svm"; {@code precision} is "float64" or "float32"; {@code hyperparameters}
 * is the effective training request, stored as given.
 */
public record NewModel(String jobId, String datasetId, String datasetName, NetworkParameters parameters,
                       String loss, Preprocessing preprocessing, List<String> classNames,
                       Map<String, Object> hyperparameters, Double trainAccuracy, Double valAccuracy, Long seed,
                       String precision) {
}
