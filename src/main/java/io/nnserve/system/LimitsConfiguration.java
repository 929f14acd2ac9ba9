package io.nnserve.system;

import jakarta.servlet.MultipartConfigElement;

import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applies {@link LimitsProperties} to the web layer: the streaming body limit for every request, and the same
 * upload limit for multipart requests, which Tomcat parses itself (so {@code spring.servlet.multipart.max-*} are
 * not used: the one property to set is {@code nnserve.limits.max-upload-bytes}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class LimitsConfiguration {

    static final String JSON_PROPERTY = "nnserve.limits.max-json-body-bytes";
    static final String UPLOAD_PROPERTY = "nnserve.limits.max-upload-bytes";

    /** After authentication ({@link SecurityConfiguration#AUTHENTICATION_ORDER}): no byte is read for a stranger. */
    static final int BODY_LIMIT_ORDER = SecurityConfiguration.AUTHENTICATION_ORDER + 10;

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(LimitsProperties limits,
            ProblemResponses problems) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(limits, problems));
        registration.setOrder(BODY_LIMIT_ORDER);
        return registration;
    }

    @Bean
    MultipartConfigElement multipartConfigElement(LimitsProperties limits, ObjectProvider<MultipartProperties> properties) {
        MultipartProperties multipart = properties.getIfAvailable(MultipartProperties::new);
        String location = multipart.getLocation() == null ? "" : multipart.getLocation();
        int threshold = (int) Math.min(Integer.MAX_VALUE, multipart.getFileSizeThreshold().toBytes());
        return new MultipartConfigElement(location, limits.maxUploadBytes(), limits.maxUploadBytes(), threshold);
    }
}
