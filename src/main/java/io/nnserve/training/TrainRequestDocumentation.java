package io.nnserve.training;

import java.math.BigDecimal;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import io.nnserve.system.LimitsProperties;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;

/**
 * The bounds of {@code POST /train}'s fields that this instance's configuration sets (nnserve.limits.*), written
 * into the TrainRequest schema beside the fixed ones its annotations give: a client generated from the document
 * then refuses what the service would refuse.
 */
@Component
class TrainRequestDocumentation implements OpenApiCustomizer {

    private final LimitsProperties limits;

    TrainRequestDocumentation(LimitsProperties limits) {
        this.limits = limits;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void customise(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents() == null ? null : openApi.getComponents().getSchemas();
        Schema<?> request = schemas == null ? null : schemas.get("TrainRequest");
        if (request == null || request.getProperties() == null) {
            return;
        }
        maximum(request, "hiddenSize", limits.maxHiddenSize());
        maximum(request, "epochs", limits.maxEpochs());
    }

    private static void maximum(Schema<?> request, String property, int value) {
        Schema<?> schema = request.getProperties().get(property);
        if (schema != null) {
            schema.setMaximum(BigDecimal.valueOf(value));
        }
    }
}
