package io.nnserve.nn;

/** How fresh weights are drawn (biases always start at 0). */
public enum InitKind {
    /** {@code weightScale·N(0,1)}. */
    GAUSSIAN,
    /** He initialisation: {@code N(0,1)·sqrt(2 / fan_in)}; weightScale is not used. */
    HE;

    /** The lower-case name used in requests and stored models. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** Parses a wire name (case-insensitive); an unknown name is an {@link IllegalArgumentException} listing the valid ones. */
    public static InitKind parse(String name) {
        return WireNames.parse(InitKind.class, "init", name);
    }
}
