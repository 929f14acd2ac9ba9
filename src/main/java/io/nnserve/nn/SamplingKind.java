package io.nnserve.nn;

/** How minibatch rows are drawn. */
public enum SamplingKind {
    /** Each iteration draws batchSize row indices uniformly with replacement (the classic way). */
    REPLACEMENT,
    /** Each epoch visits the rows in a fresh random order, each row once (a tail shorter than a batch is left out). */
    SHUFFLE;

    /** The lower-case name used in requests and stored models. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** Parses a wire name (case-insensitive); an unknown name is an {@link IllegalArgumentException} listing the valid ones. */
    public static SamplingKind parse(String name) {
        return WireNames.parse(SamplingKind.class, "sampling", name);
    }
}
