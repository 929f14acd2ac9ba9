package io.nnserve.system;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
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
    static final int HOST_ORDER = CORS_ORDER - 10;

    /** First of all: the headers go on every answer, refusals by the filters below included. */
    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter() {
        FilterRegistrationBean<SecurityHeadersFilter> registration = new FilterRegistrationBean<>(new SecurityHeadersFilter());
        registration.setOrder(MetricsConfiguration.ERROR_METRICS_ORDER - 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(SecurityProperties security, ProblemResponses problems) {
        FilterRegistrationBean<ApiKeyFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyFilter(security, problems));
        registration.setOrder(AUTHENTICATION_ORDER);
        return registration;
    }

    /** Only on an instance without keys that listens on loopback (the default): see {@link LoopbackHostFilter}. */
    @Bean
    FilterRegistrationBean<LoopbackHostFilter> loopbackHostFilter(SecurityProperties security, ProblemResponses problems) {
        FilterRegistrationBean<LoopbackHostFilter> registration =
                new FilterRegistrationBean<>(new LoopbackHostFilter(problems));
        registration.setOrder(HOST_ORDER);
        registration.setEnabled(!security.authenticationEnabled() && !security.allowUnauthenticatedRemote());
        return registration;
    }

    /**
     * Always on. With no origins configured every cross-origin request is refused, pre-flight or not: a browser sends
     * a form upload ({@code multipart/form-data}) from any page it shows without asking first, and on a service
     * listening on loopback with no keys that page could otherwise store datasets or start jobs. Requests from the
     * service's own pages (the dashboard, Swagger UI) are same-origin and pass. It answers pre-flight requests before
     * authentication, since browsers send those without credentials.
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
        filter.setCorsProcessor(new ProblemCorsProcessor(problems, !security.corsAllowedOrigins().isEmpty()));
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(CORS_ORDER);
        return registration;
    }

    /**
     * Refuses a request from an origin that is not allowed as every other error is answered: a 403 problem, or the
     * protocols' {@code {"error"}} on their paths (not Spring's plain text).
     */
    static final class ProblemCorsProcessor extends DefaultCorsProcessor {
        /** The request being checked: {@link #rejectRequest} is given only the response. */
        private static final ThreadLocal<HttpServletRequest> CURRENT = new ThreadLocal<>();

        private final ProblemResponses problems;
        private final boolean originsConfigured;

        ProblemCorsProcessor(ProblemResponses problems, boolean originsConfigured) {
            this.problems = problems;
            this.originsConfigured = originsConfigured;
        }

        @Override
        public boolean processRequest(CorsConfiguration config, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            CURRENT.set(request);
            try {
                return super.processRequest(config, request, response);
            } finally {
                CURRENT.remove();
            }
        }

        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            String detail = originsConfigured
                    ? "A browser on this origin may not call the API (with this method and these headers): the origin"
                            + " is not in nnserve.security.cors-allowed-origins, or the request asks for a method or"
                            + " header the API does not allow across origins."
                    : "This service takes no cross-origin requests: a page served from another origin may not call"
                            + " it. List the origins to allow in nnserve.security.cors-allowed-origins.";
            problems.write(CURRENT.get(), ((ServletServerHttpResponse) response).getServletResponse(),
                    ProblemHandler.problem(HttpStatus.FORBIDDEN, "Forbidden", detail), java.util.Map.of());
        }
    }
}
