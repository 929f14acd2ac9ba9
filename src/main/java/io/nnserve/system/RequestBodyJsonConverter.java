package io.nnserve.system;

import java.io.InputStream;
import java.util.Map;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractJacksonHttpMessageConverter;
import org.springframework.util.MultiValueMap;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads JSON request bodies with the application's mapper, marking its readers as reading a client's body so that
 * {@link FiniteNumbers} is strict there. It only reads: answers are still written by Boot's own JSON converter, in
 * its usual place. Being registered as a custom converter puts it before Spring's defaults, so it leaves alone the
 * types those defaults read first (strings, bytes, resources, forms, streams): {@code @RequestBody String} still
 * gets the raw text.
 */
final class RequestBodyJsonConverter extends AbstractJacksonHttpMessageConverter<JsonMapper> {

    RequestBodyJsonConverter(JsonMapper mapper) {
        super(mapper, MediaType.APPLICATION_JSON, new MediaType("application", "*+json"));
    }

    @Override
    public boolean canRead(ResolvableType type, MediaType mediaType) {
        Class<?> raw = type.resolve(Object.class);
        boolean leftToDefaults = CharSequence.class.isAssignableFrom(raw) || raw == byte[].class
                || Resource.class.isAssignableFrom(raw) || MultiValueMap.class.isAssignableFrom(raw)
                || InputStream.class.isAssignableFrom(raw) || raw == Object.class && type.resolve() == null;
        return !leftToDefaults && super.canRead(type, mediaType);
    }

    @Override
    public boolean canWrite(Class<?> type, MediaType mediaType) {
        return false;
    }

    @Override
    public boolean canWrite(ResolvableType type, Class<?> valueClass, MediaType mediaType) {
        return false;
    }

    @Override
    protected ObjectReader customizeReader(ObjectReader reader, JavaType javaType) {
        return super.customizeReader(reader, javaType).withAttribute(FiniteNumbers.REQUEST_BODY, Boolean.TRUE);
    }

    /** Never called: this converter does not write. */
    @Override
    protected void writeInternal(Object value, ResolvableType type, org.springframework.http.HttpOutputMessage out,
            Map<String, Object> hints) {
        throw new UnsupportedOperationException("RequestBodyJsonConverter only reads");
    }
}
