package io.nnserve.model;

import java.util.Optional;

import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Precision;
import io.nnserve.nn.Preprocessing;

/** What other features may ask of the model registry; training registers models and continues from them. */
public interface Models {

    /**
     * Stores the model and returns its id. Runs in the caller's transaction when there is one, so the training
     * feature can write the model and mark its job SUCCEEDED atomically.
     */
    String register(NewModel model);

    /** The stored weights of a model (a private copy), or empty for an unknown id. */
    default Optional<NetworkParameters> parameters(String modelId) {
        return trained(modelId).map(Trained::parameters);
    }

    /**
     * What a run continuing from the model starts with: its weights (a private copy), the preprocessing its weights
     * expect their inputs in, and the precision it was trained in. Empty for an unknown id.
     */
    Optional<Trained> trained(String modelId);

    /**
     * Locks the model until the caller's transaction ends, in the database (so for every instance): it cannot be
     * deleted before the caller commits. False when there is no such model. Training holds it while it queues a job
     * that starts from the model, so that the check and the insert cannot interleave with a delete.
     */
    boolean lockAgainstDeletion(String modelId);

    /** A stored model as training continues from it. */
    record Trained(NetworkParameters parameters, Preprocessing preprocessing, Precision precision) {
    }
}
