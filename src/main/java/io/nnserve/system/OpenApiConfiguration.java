package io.nnserve.system;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's frame: title, version, description, the bearer API key scheme (applied to every
 * operation; Swagger UI's "Authorize" button takes the key) and a relative server, so "Try it out" calls the
 * instance that served the page whatever its host name or proxy.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String SECURITY_SCHEME = "apiKey";

    @Bean
    OpenAPI nnserveOpenApi(@Value("${info.app.version:dev}") String version) {
        return new OpenAPI()
                .info(new Info()
                        .title("nnserve")
                        .version(version)
                        .description("Trains two-layer neural networks (affine, ReLU, affine; softmax or SVM loss;"
                                + " minibatch SGD) as asynchronous jobs on the datasets you send, keeps the models"
                                + " and serves predictions. Errors are RFC 9457 problem+json. When the instance has"
                                // in a code span: Swagger UI's Markdown drops a bare <key> as an unknown HTML tag
                                + " API keys, send `Authorization: Bearer <key>`: scope 'train' for datasets, jobs"
                                + " and models, 'predict' for /predict and the inference protocols."))
                .addServersItem(new Server().url("/").description("this instance"))
                .components(new Components().addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("An API key from nnserve.security.api-keys")))
                .addSecurityItem(new SecurityRequirement().addList(SECURITY_SCHEME));
    }

    /** The error answers of every operation, with their bodies' schemas ({@link ErrorResponseDocumentation}). */
    @Bean
    OpenApiCustomizer nnserveErrorResponses() {
        return new ErrorResponseDocumentation();
    }

    /**
     * Lists JSON first among the types an answer may have. Swagger UI's "Try it out" asks for the first one, and a
     * handler pair such as the loss history's (JSON with the epochs' accuracies, or CSV of the losses alone) is
     * documented in whichever order Spring found the handlers.
     */
    private static final String JSON = "application/json";

    @Bean
    OpenApiCustomizer nnserveJsonFirst() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                if (operation.getResponses() != null) {
                    operation.getResponses().values().forEach(OpenApiConfiguration::jsonFirst);
                }
            }));
        };
    }

    private static void jsonFirst(ApiResponse response) {
        Content content = response.getContent();
        if (content == null || !content.containsKey(JSON)) {
            return;
        }
        Content ordered = new Content();
        ordered.addMediaType(JSON, content.get(JSON));
        content.forEach(ordered::putIfAbsent);
        response.setContent(ordered);
    }

    /**
     * Makes the generated schemas say what the service sends. swagger-core writes a number property's
     * {@code defaultValue} as a JSON string ("0.1"), and it marks no property required unless annotated. So every
     * default of a number or integer schema becomes a number, exclusive bounds take 3.1's form ({@link #exclusiveBounds}),
     * and in each schema that only responses use (none that a
     * request body or parameter refers to, directly or through others) every property is required unless it allows
     * null ({@code @Schema(nullable = true)}, which swagger-core turns into a "null" type under OpenAPI 3.1): the
     * service's JSON writes null fields rather than leaving them out. A schema that already lists its required
     * properties (a record with {@code @JsonInclude(NON_NULL)}) is left as annotated. Request schemas keep
     * swagger-core's reading, where required means "must be sent".
     */
    @Bean
    OpenApiCustomizer nnserveSchemaCustomizer() {
        return openApi -> {
            Map<String, Schema> schemas = openApi.getComponents() == null ? null : openApi.getComponents().getSchemas();
            if (schemas == null) {
                return;
            }
            schemas.values().forEach(OpenApiConfiguration::numericKeywords);
            Set<String> requestSchemas = requestSchemas(openApi, schemas);
            schemas.forEach((name, schema) -> {
                Map<String, Schema> properties = schema.getProperties();
                if (requestSchemas.contains(name) || properties == null || properties.isEmpty()
                        || (schema.getRequired() != null && !schema.getRequired().isEmpty())) {
                    return;
                }
                List<String> required = new ArrayList<>();
                properties.forEach((property, value) -> {
                    if (!allowsNull(value)) {
                        required.add(property);
                    }
                });
                schema.setRequired(required.isEmpty() ? null : required);
            });
        };
    }

    static boolean allowsNull(Schema<?> schema) {
        return Boolean.TRUE.equals(schema.getNullable()) || (schema.getTypes() != null && schema.getTypes().contains("null"));
    }

    private static void numericKeywords(Schema<?> schema) {
        if (schema.getDefault() instanceof String text && isNumeric(schema)) {
            schema.setDefault(new BigDecimal(text));
        }
        exclusiveBounds(schema);
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(OpenApiConfiguration::numericKeywords);
        }
        if (schema.getItems() != null) {
            numericKeywords(schema.getItems());
        }
    }

    /**
     * {@code @Schema(minimum = "0", exclusiveMinimum = true)} in OpenAPI 3.1's form: swagger-core writes 3.1's
     * exclusiveMinimum only from an int annotation value whose default, 0, it cannot tell from unset, and drops the
     * 3.0 flag, which left "minimum: 0" for a field that must be greater than 0.
     */
    private static void exclusiveBounds(Schema<?> schema) {
        if (Boolean.TRUE.equals(schema.getExclusiveMinimum()) && schema.getMinimum() != null) {
            schema.setExclusiveMinimumValue(schema.getMinimum());
            schema.setMinimum(null);
            schema.setExclusiveMinimum(null);
        }
        if (Boolean.TRUE.equals(schema.getExclusiveMaximum()) && schema.getMaximum() != null) {
            schema.setExclusiveMaximumValue(schema.getMaximum());
            schema.setMaximum(null);
            schema.setExclusiveMaximum(null);
        }
    }

    private static boolean isNumeric(Schema<?> schema) {
        Set<String> types = schema.getTypes() != null ? schema.getTypes()
                : schema.getType() != null ? Set.of(schema.getType()) : Set.of();
        return types.contains("number") || types.contains("integer");
    }

    /** The component schemas that request bodies and parameters refer to, directly or through other schemas. */
    private static Set<String> requestSchemas(OpenAPI openApi, Map<String, Schema> schemas) {
        Deque<Schema> pending = new ArrayDeque<>();
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                pending.addAll(requestSide(operation));
                parameterValues(operation);
            }));
        }
        Set<String> names = new HashSet<>();
        while (!pending.isEmpty()) {
            Schema schema = pending.pop();
            if (schema.get$ref() != null) {
                String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
                if (names.add(name) && schemas.get(name) != null) {
                    pending.push(schemas.get(name));
                }
            }
            if (schema.getProperties() != null) {
                pending.addAll(schema.getProperties().values());
            }
            if (schema.getItems() != null) {
                pending.push(schema.getItems());
            }
            if (schema.getAdditionalProperties() instanceof Schema values) {
                pending.push(values);
            }
            Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())
                    .filter(Objects::nonNull).forEach(pending::addAll);
        }
        return names;
    }

    private static List<Schema> requestSide(Operation operation) {
        List<Schema> found = new ArrayList<>();
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            for (MediaType media : operation.getRequestBody().getContent().values()) {
                if (media.getSchema() != null) {
                    found.add(media.getSchema());
                }
            }
        }
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if (parameter.getSchema() != null) {
                    found.add(parameter.getSchema());
                }
            }
        }
        return found;
    }

    /**
     * Parameters' number defaults as numbers, and the examples of string parameters as strings: swagger-core reads
     * {@code example = "1"} as JSON, so a version path parameter's example would be the number 1.
     */
    private static void parameterValues(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : operation.getParameters()) {
            Schema schema = parameter.getSchema();
            if (schema == null) {
                continue;
            }
            numericKeywords(schema);
            boolean string = "string".equals(schema.getType())
                    || (schema.getTypes() != null && schema.getTypes().contains("string"));
            if (string && parameter.getExample() != null && !(parameter.getExample() instanceof String)) {
                parameter.setExample(String.valueOf(parameter.getExample()));
            }
        }
    }
}
