package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Readiness details: shown without API keys, hidden with them, and any explicit setting wins. */
class ReadinessDetailsDefaultTest {

    private static String showDetails(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        // upper-case names are read as environment variables are (relaxed binding)
        boolean variables = properties.keySet().stream().anyMatch(k -> k.equals(k.toUpperCase()));
        environment.getPropertySources().addFirst(variables
                ? new SystemEnvironmentPropertySource("test-environment", properties)
                : new MapPropertySource("test", properties));
        ConfigurationPropertySources.attach(environment);
        new ReadinessDetailsDefault().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty(ReadinessDetailsDefault.PROPERTY);
    }

    @Test
    void detailsAreShownWithoutKeysAndHiddenWithThem() {
        assertThat(showDetails(Map.of())).isEqualTo("always");
        assertThat(showDetails(Map.of("nnserve.security.api-keys", ""))).isEqualTo("always");
        // as the environment variable gives them, and as list entries
        assertThat(showDetails(Map.of("NNSERVE_SECURITY_API_KEYS", "abcdefghijklmnop:train"))).isEqualTo("never");
        assertThat(showDetails(Map.of("nnserve.security.api-keys[0]", "abcdefghijklmnop"))).isEqualTo("never");
        assertThat(showDetails(Map.of("nnserve.security.api-keys[0].key", "abcdefghijklmnop"))).isEqualTo("never");
    }

    @Test
    void anExplicitSettingWins() {
        assertThat(showDetails(Map.of("nnserve.security.api-keys", "abcdefghijklmnop",
                ReadinessDetailsDefault.PROPERTY, "always"))).isEqualTo("always");
    }
}
