package io.nnserve.nn;

/** The update rules; each keeps its own state per parameter. */
public enum UpdateRuleKind {
    /** {@code w -= lr·dw}. */
    SGD,
    /** {@code v = μ·v - lr·dw; w += v} (μ 0.9 unless configured). */
    MOMENTUM,
    /** {@code c = 0.99·c + 0.01·dw²; w -= lr·dw / (sqrt(c) + 1e-8)}. */
    RMSPROP,
    /** Adam with β1 0.9, β2 0.999, ε 1e-8 and bias correction. */
    ADAM;

    /** The lower-case name used in requests and stored models. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** Parses a wire name (case-insensitive); an unknown name is an {@link IllegalArgumentException} listing the valid ones. */
    public static UpdateRuleKind parse(String name) {
        return WireNames.parse(UpdateRuleKind.class, "update rule", name);
    }
}
