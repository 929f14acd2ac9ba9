package io.nnserve.system;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/** Lets {@code nnserve.security.api-keys} be written as {@code KEY:SCOPE+SCOPE} strings (see {@link ApiKey}). */
@Component
@ConfigurationPropertiesBinding
class ApiKeyConverter implements Converter<String, ApiKey> {

    @Override
    public ApiKey convert(String source) {
        return ApiKey.parse(source);
    }
}
