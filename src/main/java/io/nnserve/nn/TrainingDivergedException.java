package io.nnserve.nn;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
