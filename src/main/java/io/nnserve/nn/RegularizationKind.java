package io.nnserve.nn;

/** The penalty on the weights (never on the biases). */
public enum RegularizationKind {
    /** No penalty. */
    NONE,
    /** {@code 0.5·reg·ΣW²}, gradient {@code reg·W}. */
    L2,
    /** {@code reg·Σ|W|}, gradient {@code reg·sign(W)}. */
    L1;

    /** The lower-case name used in requests and stored models. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** Parses a wire name (case-insensitive); an unknown name is an {@link IllegalArgumentException} listing the valid ones. */
    public static RegularizationKind parse(String name) {
        return WireNames.parse(RegularizationKind.class, "regularization", name);
    }
}
