package io.nnserve.model;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The model cache in Prometheus: {@code nnserve_model_cache_models} and {@code nnserve_model_cache_bytes}. */
@Component
class ModelCacheMetrics implements MeterBinder {

    private final ModelService models;

    ModelCacheMetrics(ModelService models) {
        this.models = models;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("nnserve.model.cache.models", models, ModelService::cachedModels)
                .description("Models loaded in memory, ready to predict")
                .register(registry);
        Gauge.builder("nnserve.model.cache", models, ModelService::cachedBytes)
                .description("Bytes of weights held by the model cache")
                .baseUnit("bytes")
                .register(registry);
    }
}
