package io.nnserve.system;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON mapper every request body goes through, made strict: a field the API does not know, a null where a
 * number is required, {@code "1.5"} where a number belongs or {@code 1.5} where an integer belongs are errors
 * (400 naming the field), not silently "fixed". The parser's size constraints (nesting depth, number, string and
 * document length) come from {@link LimitsProperties}, so a 10,000-level nested array or a 1,000-digit number is
 * refused while it is being read.
 *
 * <p>Boot's customizers cannot replace the stream factory, where the read constraints live, so this configuration
 * provides the {@link JsonMapper.Builder} itself (Boot's own backs off) and applies every
 * {@link JsonMapperBuilderCustomizer} in order, Boot's {@code spring.jackson.*} one included. It is an
 * auto-configuration (listed in {@code META-INF/spring/...AutoConfiguration.imports}) so that it is ordered before
 * Boot's and so that {@code @WebMvcTest} slices, which import it through the test resources, read JSON exactly as
 * the running service does.
 */
@AutoConfiguration(before = JacksonAutoConfiguration.class)
@EnableConfigurationProperties(LimitsProperties.class)
public class JsonHardening {

    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    JsonMapper.Builder jsonMapperBuilder(LimitsProperties limits, ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(readConstraints(limits))
                // Shortest round-trip decimal text (Schubfach) instead of Double.toString, and a correctly rounded
                // parser instead of Double.parseDouble: the same values either way, faster. A 10,000-row prediction
                // writes 100,000 doubles; Double.toString took a sixth of its CPU samples.
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        JsonMapper.Builder builder = JsonMapper.builder(factory);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder;
    }

    @Bean
    JsonMapperBuilderCustomizer strictJsonBinding() {
        return JsonHardening::strict;
    }

    /** Reads request bodies strictly (see {@link RequestBodyJsonConverter}); Boot's converter still writes. */
    @Bean
    RequestBodyJsonConverter requestBodyJsonConverter(JsonMapper jsonMapper, ObjectProvider<FastJsonBody<?>> fastReaders) {
        return new RequestBodyJsonConverter(jsonMapper, fastReaders.orderedStream().toList());
    }

    static StreamReadConstraints readConstraints(LimitsProperties limits) {
        return StreamReadConstraints.builder()
                .maxNestingDepth(limits.jsonMaxNestingDepth())
                .maxNumberLength(limits.jsonMaxNumberLength())
                .maxStringLength(limits.jsonMaxStringLength())
                .maxNameLength(Math.min(limits.jsonMaxStringLength(), 1_000))
                .maxDocumentLength(limits.maxJsonBodyBytes())
                .build();
    }

    static void strict(JsonMapper.Builder builder) {
        builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                // {"datasetId": "a", "datasetId": "b"} is ambiguous: refused rather than read as its last value.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(FiniteNumbers.module());
        for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            builder.withCoercionConfig(scalar, config -> config
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
        }
        builder.withCoercionConfig(LogicalType.Integer, config -> config
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
        builder.withCoercionConfig(LogicalType.Boolean, config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
        // {"modelId": 1} is a mistake, not the id "1": strings are strings
        builder.withCoercionConfig(LogicalType.Textual, config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }
}
