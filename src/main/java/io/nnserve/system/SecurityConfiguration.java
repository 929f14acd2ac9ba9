package io.nnserve.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Authentication (API keys with scopes) and CORS; where the server may listen is {@link WebServerConfiguration}'s. A servlet filter is all this needs:
 * there are no sessions, logins or roles, only a bearer key and its scopes per request.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

    /** After Boot's observation filter, so that refused requests are still measured. */
    static final int AUTHENTICATION_ORDER = -100;
    static final int CORS_ORDER = AUTHENTICATION_ORDER - 10;

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(SecurityProperties security, ProblemResponses problems) {
        FilterRegistrationBean<ApiKeyFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyFilter(security, problems));
        registration.setOrder(AUTHENTICATION_ORDER);
        return registration;
    }

    /**
     * Enabled only when origins are configured (CORS is off otherwise: browsers refuse cross-origin calls). It
     * answers pre-flight requests before authentication, since browsers send those without credentials.
     */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(SecurityProperties security, ProblemResponses problems) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(security.corsAllowedOrigins());
        cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "DELETE"));
        cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT,
                "Idempotency-Key", "Last-Event-ID"));
        cors.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE));
        cors.setAllowCredentials(false);
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new ProblemCorsProcessor(problems));
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(CORS_ORDER);
        registration.setEnabled(!security.corsAllowedOrigins().isEmpty());
        return registration;
    }

    /** Refuses a request from an origin that is not allowed with a problem, as every other error (not plain text). */
    static final class ProblemCorsProcessor extends DefaultCorsProcessor {
        private final ProblemResponses problems;

        ProblemCorsProcessor(ProblemResponses problems) {
            this.problems = problems;
        }

        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            response.getBody().write(problems.toJson(ProblemHandler.problem(HttpStatus.FORBIDDEN, "Forbidden",
                    "A browser on this origin may not call the API (with this method and these headers): the origin"
                            + " is not in nnserve.security.cors-allowed-origins, or the request asks for a method or"
                            + " header the API does not allow across origins.")).getBytes(StandardCharsets.UTF_8));
            response.flush();
        }
    }
}
