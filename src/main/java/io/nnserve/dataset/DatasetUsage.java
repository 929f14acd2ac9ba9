package io.nnserve.dataset;

/**
 * Asked before a dataset is deleted. Implemented by the feature that uses datasets (training), so the dataset
 * feature can refuse to delete data that a queued or running job still needs without knowing about jobs.
 */
public interface DatasetUsage {

    /** A sentence naming what uses the dataset, or null when nothing does. */
    String usedBy(String datasetId);
}
