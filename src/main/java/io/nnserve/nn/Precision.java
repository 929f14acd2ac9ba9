package io.nnserve.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public enum Precision {
    FLOAT64,FLOAT32;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String name) {
        for (Precision kind : values()) {
            if (kind.wireName().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown value '" + name + "'; use one of "
                + Arrays.stream(values()).map(Precision::wireName).collect(Collectors.joining(", ")));
    }
}
