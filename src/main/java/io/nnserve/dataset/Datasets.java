package io.nnserve.dataset;

import java.util.Optional;

import io.nnserve.nn.Samples;

/**
 * What other features may ask of the dataset feature. Training loads a dataset through this and never touches
 * the dataset tables itself.
 */
public interface Datasets {

    Optional<DatasetSummary> find(String id);

    /** The dataset's rows and labels, ready for the engine; throws NotFoundException for an unknown id. */
    LoadedDataset load(String id);

    record LoadedDataset(DatasetSummary summary, Samples samples) {
    }
}
