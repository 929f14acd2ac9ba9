package io.nnserve.system;

/** An id that names nothing: answered 404. The message names the kind of thing and the id. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String kind, String id) {
        super(kind + " '" + id + "' does not exist");
    }

    /** A path that names no endpoint, in a sentence of the caller's. */
    public NotFoundException(String message) {
        super(message);
    }
}
