package io.nnserve.nn;

/** The data loss a network is trained with. */
public enum LossKind {
    /** Softmax cross-entropy, computed after subtracting each row's maximum score. */
    SOFTMAX,
    /** Multiclass SVM hinge loss summed over all wrong classes, with margin Δ. */
    SVM;

    /** The lower-case name used in requests and stored models. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** Parses a wire name (case-insensitive); an unknown name is an {@link IllegalArgumentException} listing the valid ones. */
    public static LossKind parse(String name) {
        return WireNames.parse(LossKind.class, "loss", name);
    }
}
