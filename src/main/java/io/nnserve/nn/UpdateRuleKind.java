package io.nnserve.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public enum UpdateRuleKind {
    SGD,MOMENTUM,RMSPROP,ADAM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UpdateRuleKind parse(String name) {
        for (UpdateRuleKind kind : values()) {
            if (kind.wireName().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown value '" + name + "'; use one of "
                + Arrays.stream(values()).map(UpdateRuleKind::wireName).collect(Collectors.joining(", ")));
    }
}
