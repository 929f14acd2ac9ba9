package io.nnserve.model;

/**
 * Asked before a model is deleted. Implemented by the feature that starts training from models, so the registry
 * can refuse to delete a model that a queued or running job still needs without knowing about jobs.
 */
public interface ModelUsage {

    /** A sentence naming what uses the model and what to do about it, or null when nothing does. */
    String usedBy(String modelId);
}
