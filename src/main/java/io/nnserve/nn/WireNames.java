package io.nnserve.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The lower-case names by which the engine's enums travel in requests, and their strict parsing. */
final class WireNames {

    private WireNames() {
    }

    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose wire name is {@code name} (case-insensitive); otherwise an error listing the valid names. */
    static <E extends Enum<E>> E parse(Class<E> type, String what, String name) {
        for (E value : type.getEnumConstants()) {
            if (of(value).equalsIgnoreCase(name)) {
                return value;
            }
        }
        String valid = Arrays.stream(type.getEnumConstants()).map(WireNames::of).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown " + what + " '" + name + "'; use one of: " + valid);
    }
}
