package io.nnserve.system;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics shared by every feature: errors by status. Common tags ({@code application}) are set in
 * {@code application.yml} ({@code management.metrics.tags.*}); features register their own {@code nnserve_*}
 * meters next to their code.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class MetricsConfiguration {

    /** Outside authentication and body limits, so their refusals are counted too. */
    static final int ERROR_METRICS_ORDER = SecurityConfiguration.CORS_ORDER - 10;

    @Bean
    FilterRegistrationBean<ErrorMetricsFilter> errorMetricsFilter(MeterRegistry registry) {
        FilterRegistrationBean<ErrorMetricsFilter> registration =
                new FilterRegistrationBean<>(new ErrorMetricsFilter(registry));
        registration.setOrder(ERROR_METRICS_ORDER);
        return registration;
    }
}
