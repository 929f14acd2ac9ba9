package io.nnserve.system;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which scopes a request needs, from its method and its normalised path. The rules, in order:
 * <ul>
 * <li>open: {@code /actuator/health/**}, {@code /actuator/info}, {@code /v2/health/live|ready}, and (when
 * {@code nnserve.security.docs-open}) Swagger UI and {@code /v3/api-docs*} (JSON, YAML, its UI config);</li>
 * <li>{@code predict}: {@code /predict}, {@code /v1/**}, {@code /v2/**};</li>
 * <li>{@code train} or {@code predict}: reading the registry, {@code GET /models} and {@code GET /models/{id}};</li>
 * <li>{@code train}: everything else under {@code /datasets}, {@code /train}, {@code /jobs}, {@code /models};</li>
 * <li>any valid key: {@code /actuator/**} (Prometheus), {@code /limits}, and every non-GET request elsewhere;</li>
 * <li>open: any other GET or HEAD (the dashboard's static files, and 404s).</li>
 * </ul>
 */
final class AccessPolicy {

    /** The scopes of which a key needs at least one; {@link #OPEN} needs no key at all. */
    record Requirement(Set<Scope> anyOf) {

        boolean open() {
            return anyOf.isEmpty();
        }

        boolean allows(Set<Scope> scopes) {
            return open() || scopes.stream().anyMatch(anyOf::contains);
        }
    }

    static final Requirement OPEN = new Requirement(Set.of());
    static final Requirement ANY_KEY = new Requirement(EnumSet.allOf(Scope.class));
    static final Requirement TRAIN = new Requirement(EnumSet.of(Scope.TRAIN));
    static final Requirement PREDICT = new Requirement(EnumSet.of(Scope.PREDICT));
    static final Requirement READ_MODELS = new Requirement(EnumSet.of(Scope.TRAIN, Scope.PREDICT));

    private final boolean docsOpen;

    AccessPolicy(boolean docsOpen) {
        this.docsOpen = docsOpen;
    }

    Requirement requirement(String method, String path) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (path.equals("/actuator/health") || path.startsWith("/actuator/health/") || path.equals("/actuator/info")
                || path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
            return OPEN;
        }
        if (isDocs(path)) {
            return docsOpen ? OPEN : ANY_KEY;
        }
        if (under(path, "/predict") || under(path, "/v1") || under(path, "/v2")) {
            return PREDICT;
        }
        if (read && (path.equals("/models") || isSingleModel(path))) {
            return READ_MODELS;
        }
        if (under(path, "/datasets") || under(path, "/train") || under(path, "/jobs") || under(path, "/models")) {
            return TRAIN;
        }
        if (under(path, "/actuator") || under(path, "/limits")) {
            return ANY_KEY;
        }
        return read ? OPEN : ANY_KEY;
    }

    /** Swagger UI and the OpenAPI document in every form springdoc serves: JSON, {@code .yaml}, its UI config. */
    private static boolean isDocs(String path) {
        return path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/") || path.startsWith("/v3/api-docs");
    }

    private static boolean isSingleModel(String path) {
        return path.startsWith("/models/") && path.indexOf('/', "/models/".length()) < 0
                && path.length() > "/models/".length();
    }

    /** {@code path} is {@code prefix} itself or below it. */
    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ":");
    }
}
