package io.nnserve.system;

/**
 * A quicker reader for one request body type, tried on the whole body before Jackson. It may take only documents
 * it fully understands and must read them exactly as Jackson with the strict mapper would; for anything else
 * (a syntax error, an unknown field, an escape in a string, a ragged row...) it returns null and the same bytes go
 * through Jackson, so error answers stay Jackson's, word for word. See {@link RequestBodyJsonConverter}.
 */
public interface FastJsonBody<T> {

    /** The request body type this reader makes (exactly this class, not subtypes). */
    Class<T> type();

    /** The whole body (UTF-8) read, or null to leave it to Jackson. */
    T read(byte[] body);
}
