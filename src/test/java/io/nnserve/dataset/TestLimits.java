package io.nnserve.dataset;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.nnserve.system.LimitsProperties;

/** LimitsProperties as the application binds them: the defaults, with some properties overridden. */
final class TestLimits {

    private TestLimits() {
    }

    static LimitsProperties defaults() {
        return with(Map.of());
    }

    /** @param overrides e.g. {@code Map.of("max-rows", "3")} */
    static LimitsProperties with(Map<String, String> overrides) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        overrides.forEach((k, v) -> source.put("nnserve.limits." + k, v));
        return new Binder(source).bindOrCreate("nnserve.limits", LimitsProperties.class);
    }
}
