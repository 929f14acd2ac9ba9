package io.nnserve.model;

import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health contributor "models", part of the readiness group: the models found damaged (by a request or by the
 * start-up check) and the state of the in-memory cache.
 *
 * <p>A damaged model does not take the instance out of service: every instance reads the same database, so one bad
 * row would otherwise take every instance out of the load balancer at once, and all the healthy models with it. The
 * status stays UP; the damage is listed in the details ({@code damagedModels}: id to reason), and the model itself
 * answers 409 with the reason.
 */
@Component("models")
class ModelHealthIndicator implements HealthIndicator {

    private final DamagedModels damaged;
    private final ModelService models;

    ModelHealthIndicator(DamagedModels damaged, ModelService models) {
        this.damaged = damaged;
        this.models = models;
    }

    @Override
    public Health health() {
        Map<String, String> bad = damaged.snapshot();
        return Health.up()
                .withDetail("damagedModels", bad)
                .withDetail("cachedModels", models.cachedModels())
                .withDetail("cachedBytes", models.cachedBytes())
                .build();
    }
}
