package io.nnserve.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start stopped by {@link BindAddressGuard} gets Spring Boot's short "APPLICATION FAILED TO START" report with what
 * to do, rather than the stack trace of the web server factory that could not be created. Registered in
 * {@code META-INF/spring.factories}.
 */
class UnprotectedAddressFailureAnalyzer extends AbstractFailureAnalyzer<BindAddressGuard.UnprotectedAddressException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindAddressGuard.UnprotectedAddressException cause) {
        return new FailureAnalysis("server.address=" + cause.address() + " would let anyone who can reach that address"
                + " train, predict and delete: no API key is configured (nnserve.security.api-keys).",
                "Configure API keys (nnserve.security.api-keys, or NNSERVE_SECURITY_API_KEYS), or leave server.address"
                        + " unset to listen on 127.0.0.1 only, or set nnserve.security.allow-unauthenticated-remote=true"
                        + " if something in front of the service (a proxy, a service mesh) authenticates clients.",
                cause);
    }
}
