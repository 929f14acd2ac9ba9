package io.nnserve.nn;

/** The floating-point precision of training arithmetic. */
public enum Precision {
    /** 64-bit doubles (the default). */
    FLOAT64,
    /** 32-bit floats: training iterations in single precision (ojAlgo {@code R032Store}), twice the vector lanes. */
    FLOAT32;

    /** The lower-case name used in requests and stored models. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** Parses a wire name (case-insensitive); an unknown name is an {@link IllegalArgumentException} listing the valid ones. */
    public static Precision parse(String name) {
        return WireNames.parse(Precision.class, "precision", name);
    }
}
