package io.nnserve.system;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Without API keys nobody is asked who they are, so the service must not be reachable from other machines: with no
 * key configured it listens on 127.0.0.1 only (and says so at start-up), and a configured non-loopback
 * {@code server.address} without keys stops the start with a message, unless
 * {@code nnserve.security.allow-unauthenticated-remote=true} says that something else guards the door. Runs after
 * Boot's own customizer, so it sees {@code server.address}.
 */
final class BindAddressGuard implements WebServerFactoryCustomizer<AbstractConfigurableWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(BindAddressGuard.class);

    private final SecurityProperties security;

    BindAddressGuard(SecurityProperties security) {
        this.security = security;
    }

    @Override
    public void customize(AbstractConfigurableWebServerFactory factory) {
        InetAddress address = factory.getAddress();
        String where = address == null ? "all interfaces" : address.getHostAddress();
        if (security.authenticationEnabled()) {
            log.info("API key authentication is on ({} key(s)); listening on {}", security.apiKeys().size(), where);
        } else if (security.allowUnauthenticatedRemote()) {
            log.warn("No API key is configured and nnserve.security.allow-unauthenticated-remote=true: anyone who"
                    + " can reach {} may train, predict and delete", where);
        } else if (address == null) {
            factory.setAddress(loopback());
            log.warn("No API key is configured (nnserve.security.api-keys): listening on 127.0.0.1 only. Configure"
                    + " keys, or set nnserve.security.allow-unauthenticated-remote=true, to accept remote clients.");
        } else if (address.isLoopbackAddress()) {
            log.info("No API key is configured; listening on loopback address {} only", where);
        } else {
            throw new UnprotectedAddressException(where);
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** A non-loopback {@code server.address} without keys; {@link UnprotectedAddressFailureAnalyzer} explains it. */
    static final class UnprotectedAddressException extends IllegalStateException {
        private final String address;

        UnprotectedAddressException(String address) {
            super("server.address=" + address + " would expose the API without authentication: configure"
                    + " nnserve.security.api-keys, or set nnserve.security.allow-unauthenticated-remote=true if"
                    + " something else authenticates clients.");
            this.address = address;
        }

        String address() {
            return address;
        }
    }
}
