package io.nnserve.system;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The embedded server: where it may listen ({@link BindAddressGuard}) and how it answers errors that never reach
 * the application ({@link ProblemErrorReportValve} instead of Tomcat's HTML page) or that Actuator leaves without a
 * body ({@link HealthNotFoundFilter}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebServerConfiguration {

    @Bean
    BindAddressGuard bindAddressGuard(SecurityProperties security) {
        return new BindAddressGuard(security);
    }

    @Bean
    FilterRegistrationBean<HealthNotFoundFilter> healthNotFoundFilter() {
        FilterRegistrationBean<HealthNotFoundFilter> registration =
                new FilterRegistrationBean<>(new HealthNotFoundFilter());
        registration.addUrlPatterns(HealthNotFoundFilter.PATTERN);
        return registration;
    }

    /** After Boot's own customizer, which adds a plain {@link ErrorReportValve} that this one replaces. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(ObjectProvider<MeterRegistry> meters) {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                Pipeline pipeline = host.getPipeline();
                for (Valve valve : pipeline.getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        pipeline.removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                ProblemErrorReportValve valve = new ProblemErrorReportValve();
                meters.ifAvailable(registry -> valve.countRefusalsWith(status -> ErrorMetricsFilter.count(registry, status)));
                pipeline.addValve(valve);
            }
        });
    }
}
