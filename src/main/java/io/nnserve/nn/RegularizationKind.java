package io.nnserve.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public enum RegularizationKind {
    NONE,L2,L1;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RegularizationKind parse(String name) {
        for (RegularizationKind kind : values()) {
            if (kind.wireName().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown value '" + name + "'; use one of "
                + Arrays.stream(values()).map(RegularizationKind::wireName).collect(Collectors.joining(", ")));
    }
}
