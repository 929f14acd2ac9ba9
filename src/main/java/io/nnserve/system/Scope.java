package io.nnserve.system;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API key may do. {@code train}: datasets, training jobs, the model registry (import, export, delete);
 * {@code predict}: {@code /predict} and the inference protocols; {@code metrics}: {@code /actuator/prometheus}
 * only. Reading the model list is allowed to {@code train} and {@code predict} keys alike.
 */
public enum Scope {
    TRAIN, PREDICT, METRICS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a scope name, case-insensitively; the error lists the valid names. */
    public static Scope parse(String name) {
        for (Scope scope : values()) {
            if (scope.wireName().equalsIgnoreCase(name.trim())) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + name + "'; valid scopes are "
                + Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", ")));
    }
}
