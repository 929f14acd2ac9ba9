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

    /**
     * Locks the dataset until the caller's transaction ends, in the database (so for every instance): it cannot be
     * deleted before the caller commits. False when there is no such dataset. Training holds it while it queues a
     * job, so that the check and the insert cannot interleave with a delete.
     */
    boolean lockAgainstDeletion(String id);

    record LoadedDataset(DatasetSummary summary, Samples samples) {
    }
}
