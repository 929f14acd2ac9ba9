package io.nnserve.system;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured API key and its scopes. Written in configuration either as an object ({@code key}, {@code scopes})
 * or as one string {@code KEY:SCOPE+SCOPE} (e.g. {@code s3cret-0123456789:train+predict}; a key without scopes gets
 * all of them), which is what a comma-separated environment variable such as {@code NNSERVE_SECURITY_API_KEYS} holds.
 * A key is 16 to 512 characters of {@code A-Z a-z 0-9 - . _ ~ + / =} (RFC 6750's token characters).
 * {@link #toString()} never shows the key.
 */
public record ApiKey(String key, Set<Scope> scopes) {

    static final int MIN_LENGTH = 16;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/=]{16,512}");

    public ApiKey {
        if (key == null || !TOKEN.matcher(key).matches()) {
            // The message must not echo the key: configuration errors end up in logs.
            throw new IllegalArgumentException("an API key must be " + MIN_LENGTH + " to 512 characters of"
                    + " A-Z a-z 0-9 - . _ ~ + / = (a key of " + (key == null ? 0 : key.length())
                    + " characters was given)");
        }
        scopes = scopes == null || scopes.isEmpty() ? EnumSet.allOf(Scope.class) : Set.copyOf(scopes);
    }

    /** Parses {@code KEY} or {@code KEY:SCOPE+SCOPE...}. */
    public static ApiKey parse(String text) {
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            return new ApiKey(trimmed, null);
        }
        if (trimmed.substring(colon + 1).isBlank()) {
            // "KEY:" looks like a scope left out by mistake; read as "every scope" it would grant train quietly
            throw new IllegalArgumentException("an API key entry ends with ':' and names no scope; write the key alone"
                    + " for every scope, or KEY:train, KEY:predict, KEY:train+predict");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : trimmed.substring(colon + 1).split("[+| ]+")) {
            if (!name.isBlank()) {
                scopes.add(Scope.parse(name));
            }
        }
        return new ApiKey(trimmed.substring(0, colon), scopes);
    }

    @Override
    public String toString() {
        return "ApiKey[key=<hidden>, scopes=" + scopes + "]";
    }
}
