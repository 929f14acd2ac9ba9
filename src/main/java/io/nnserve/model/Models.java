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
}
