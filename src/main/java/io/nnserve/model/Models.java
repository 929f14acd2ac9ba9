package io.nnserve.model;

import java.util.Optional;

import io.nnserve.nn.NetworkParameters;

/** What other features may ask of the model registry; training registers models and continues from them. */
public interface Models {

    /**
     * Stores the model and returns its id. Runs in the caller's transaction when there is one, so the training
     * feature can write the model and mark its job SUCCEEDED atomically.
     */
    String register(NewModel model);

    /** The stored weights of a model (a private copy), or empty for an unknown id. */
    Optional<NetworkParameters> parameters(String modelId);

    /**
     * Locks the model until the caller's transaction ends, in the database (so for every instance): it cannot be
     * deleted before the caller commits. False when there is no such model. Training holds it while it queues a job
     * that starts from the model, so that the check and the insert cannot interleave with a delete.
     */
    boolean lockAgainstDeletion(String modelId);
}
