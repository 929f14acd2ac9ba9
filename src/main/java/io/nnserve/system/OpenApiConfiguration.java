package io.nnserve.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

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
                                + " API keys, send 'Authorization: Bearer <key>': scope 'train' for datasets, jobs"
                                + " and models, 'predict' for /predict and the inference protocols."))
                .addServersItem(new Server().url("/").description("this instance"))
                .components(new Components().addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("An API key from nnserve.security.api-keys")))
                .addSecurityItem(new SecurityRequirement().addList(SECURITY_SCHEME));
    }
}
