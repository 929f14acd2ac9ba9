package io.nnserve.system;

/** The request is well formed but clashes with the current state (a dataset in use, a finished job): 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
