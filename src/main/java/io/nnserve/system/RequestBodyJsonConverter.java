package io.nnserve.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
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
 *
 * <p>A body type with a {@link FastJsonBody} reader (large prediction requests: millions of numbers) is read into
 * one byte array and offered to that reader first; what it declines is read from the same bytes by Jackson.
 */
final class RequestBodyJsonConverter extends AbstractJacksonHttpMessageConverter<JsonMapper> {

    private final Map<Class<?>, FastJsonBody<?>> fastReaders = new HashMap<>();

    RequestBodyJsonConverter(JsonMapper mapper, List<FastJsonBody<?>> fastReaders) {
        super(mapper, MediaType.APPLICATION_JSON, new MediaType("application", "*+json"));
        for (FastJsonBody<?> reader : fastReaders) {
            this.fastReaders.put(reader.type(), reader);
        }
    }

    @Override
    public Object read(ResolvableType type, HttpInputMessage input, Map<String, Object> hints) throws IOException {
        FastJsonBody<?> fast = fastReaders.get(type.resolve());
        if (fast == null || !utf8(input.getHeaders().getContentType())) {
            return super.read(type, input, hints);
        }
        byte[] body = readBody(input);
        Object value = fast.read(body);
        if (value != null) {
            return value;
        }
        HttpHeaders headers = input.getHeaders();
        return super.read(type, new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        }, hints);
    }

    /** No charset (JSON is UTF-8), or UTF-8 / US-ASCII said outright: the bytes the fast readers expect. */
    private static boolean utf8(MediaType contentType) {
        Charset charset = contentType == null ? null : contentType.getCharset();
        return charset == null || charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII);
    }

    /** The whole body, in an array of the declared length when there is one (no regrowing for 30 MB bodies). */
    private static byte[] readBody(HttpInputMessage input) throws IOException {
        long declared = input.getHeaders().getContentLength();
        InputStream in = input.getBody();
        if (declared < 0 || declared > Integer.MAX_VALUE - 8) {
            return in.readAllBytes();
        }
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
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
