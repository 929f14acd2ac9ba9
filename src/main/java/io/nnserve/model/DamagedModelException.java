package io.nnserve.model;

import io.nnserve.system.ConflictException;

/**
 * A stored model whose bytes cannot be trusted (checksum mismatch, truncation, an unknown format version). It is
 * answered 409 Conflict: the request is fine, the model's state is what is wrong, and retrying will not help
 * (unlike 503) while the server itself did nothing wrong (unlike 500). The model is never served; readiness
 * reports it (see {@link ModelHealthIndicator}).
 */
public class DamagedModelException extends ConflictException {

    DamagedModelException(String modelId, String reason) {
        super("Model '" + modelId + "' is damaged: " + reason + ". It is not served, so that it can never answer wrong"
                + " numbers; delete it (DELETE /models/" + modelId + ") and train or import it again.");
    }
}
