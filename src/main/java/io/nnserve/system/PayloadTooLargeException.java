package io.nnserve.system;

/**
 * A body or upload over its configured limit: 413; the message names the limit and its property. When the limit
 * is known as a number, {@link #limit()} and {@link #property()} are published as problem fields too.
 */
public class PayloadTooLargeException extends RuntimeException {

    private final String property;
    private final long limit;

    public PayloadTooLargeException(String message) {
        this(message, null, -1);
    }

    /** A limit of {@code limit} bytes (or items) set by the configuration property {@code property}. */
    public PayloadTooLargeException(String message, String property, long limit) {
        super(message);
        this.property = property;
        this.limit = limit;
    }

    /** The configuration property that sets the limit, e.g. {@code nnserve.limits.max-json-body-bytes}; may be null. */
    public String property() {
        return property;
    }

    /** The limit's value, or -1 when not given. */
    public long limit() {
        return limit;
    }
}
