package io.nnserve.system;

/** A body or upload over its configured limit: 413; the message names the limit and its property. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
