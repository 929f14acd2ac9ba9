package io.nnserve.system;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Whether the readiness probe shows its details (the database's product, the ids of damaged models and why): by
 * default yes on an instance without API keys, which only its own host can reach, and no on one with keys, since the
 * probe answers without a key and the details are the operator's business. Status and HTTP code are the same either
 * way, and a damaged model is logged and answers 409 to whoever asks for it with a key. The value goes in as the
 * lowest-precedence property source: a {@code management.endpoint.health.group.readiness.show-details} that is set
 * anywhere wins.
 */
public class ReadinessDetailsDefault implements EnvironmentPostProcessor {

    static final String PROPERTY = "management.endpoint.health.group.readiness.show-details";
    private static final ConfigurationPropertyName API_KEYS = ConfigurationPropertyName.of("nnserve.security.api-keys");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("nnserve-readiness-details",
                Map.of(PROPERTY, hasApiKeys(environment) ? "never" : "always")));
    }

    /** Any source sets the keys: as one comma-separated value (the environment variable) or as list entries. */
    static boolean hasApiKeys(ConfigurableEnvironment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(API_KEYS);
            if (property != null && property.getValue() != null && !property.getValue().toString().isBlank()
                    || source.containsDescendantOf(API_KEYS) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }
}
