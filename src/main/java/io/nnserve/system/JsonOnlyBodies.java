package io.nnserve.system;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Takes the YAML converter out of Spring MVC. Spring adds one because swagger-core brings Jackson 2's YAML module
 * along; it would read a request body sent as {@code application/yaml} with a Jackson 2 mapper of its own, past
 * every rule of {@link JsonHardening} (unknown fields, NaN, the parser's limits), and a 415 would offer YAML to a
 * client. The API speaks JSON: such a body is now a 415 that lists the JSON types only. (The OpenAPI document's own
 * YAML at {@code /v3/api-docs.yaml} is written by springdoc, not by this converter.)
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyBodies implements WebMvcConfigurer {

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.removeIf(JsonOnlyBodies::readsYaml);
    }

    static boolean readsYaml(HttpMessageConverter<?> converter) {
        return converter.getSupportedMediaTypes().stream().anyMatch(type -> type.getSubtype().contains("yaml"));
    }
}
