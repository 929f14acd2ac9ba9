package io.nnserve.system;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a start-up stopped by {@code nnserve.security.*} without its value. Spring Boot's own report of a
 * property that cannot be bound prints the property's whole value, and {@code nnserve.security.api-keys} holds
 * every key, the valid ones too: one typo in a scope would put them all in the log. This analyzer goes first and
 * gives the reason alone (ours never contain a key: {@link ApiKey} and {@link Scope} name lengths and scopes).
 * Registered in {@code META-INF/spring.factories}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiKeysFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    static final String PREFIX = "nnserve.security";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        if (!cause.getName().toString().startsWith(PREFIX)) {
            return null;
        }
        Throwable reason = cause;
        while (reason.getCause() != null && reason.getCause() != reason) {
            reason = reason.getCause();
        }
        String name = cause.getName().toString();
        return new FailureAnalysis("Failed to bind '" + name + "': " + reason.getMessage()
                + ". (The value is not shown: nnserve.security.* holds the API keys.)",
                "Write each entry of nnserve.security.api-keys (NNSERVE_SECURITY_API_KEYS: comma-separated) as KEY or"
                        + " KEY:SCOPE+SCOPE, with scopes " + scopes() + ", and KEY " + ApiKey.MIN_LENGTH
                        + " to 512 characters of A-Z a-z 0-9 - . _ ~ + / =, each key once.", cause);
    }

    /** "train, predict and metrics": every scope, so that the advice cannot fall behind the enum. */
    static String scopes() {
        java.util.List<String> names = java.util.Arrays.stream(Scope.values()).map(Scope::wireName).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
}
