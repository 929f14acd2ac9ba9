package io.nnserve.system;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the service ({@code nnserve.security.*}).
 *
 * @param apiKeys the API keys and their scopes; empty means no authentication, and then the service listens on
 *     the loopback interface only unless {@code allowUnauthenticatedRemote} is set. From the environment:
 *     {@code NNSERVE_SECURITY_API_KEYS=key1:train+predict,key2:predict}.
 * @param allowUnauthenticatedRemote the explicit opt-in to listen on other interfaces without keys (e.g. behind an
 *     authenticating proxy)
 * @param docsOpen whether Swagger UI and {@code /v3/api-docs} are readable without a key
 * @param corsAllowedOrigins origins allowed to call the API from a browser; empty means CORS is off
 */
@ConfigurationProperties("nnserve.security")
public record SecurityProperties(
        @DefaultValue List<ApiKey> apiKeys,
        @DefaultValue("false") boolean allowUnauthenticatedRemote,
        @DefaultValue("true") boolean docsOpen,
        @DefaultValue List<String> corsAllowedOrigins) {

    public SecurityProperties {
        apiKeys = List.copyOf(apiKeys);
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        long distinct = apiKeys.stream().map(ApiKey::key).distinct().count();
        if (distinct != apiKeys.size()) {
            throw new IllegalArgumentException("nnserve.security.api-keys lists the same key twice");
        }
    }

    public boolean authenticationEnabled() {
        return !apiKeys.isEmpty();
    }

    @Override
    public String toString() {
        return "SecurityProperties[apiKeys=" + apiKeys.size() + " key(s), allowUnauthenticatedRemote="
                + allowUnauthenticatedRemote + ", docsOpen=" + docsOpen + ", corsAllowedOrigins="
                + corsAllowedOrigins + "]";
    }
}
