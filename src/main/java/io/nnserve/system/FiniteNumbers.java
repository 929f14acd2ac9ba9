package io.nnserve.system;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.ArrayType;

/**
 * In request bodies, a floating-point field takes only a finite JSON number: not {@code "NaN"} or
 * {@code "Infinity"} as strings (which Jackson otherwise accepts even with string coercion off) and not a literal
 * such as {@code 1e400} that overflows to infinity. Applies to {@code double}, {@code Double}, {@code float},
 * {@code Float}, and {@code double[]} / {@code float[]} at any depth ({@code double[][]}, lists of them).
 *
 * <p>Only readers carrying the {@link #REQUEST_BODY} attribute are strict (the HTTP message converter sets it,
 * see {@link JsonHardening}); the same mapper reading the service's own stored JSON keeps Jackson's defaults, so a
 * NaN it once wrote (a diverged loss, say) still reads back.
 */
final class FiniteNumbers {

    /** Reader attribute: the document is a client's request body. */
    static final String REQUEST_BODY = FiniteNumbers.class.getName() + ".requestBody";

    private FiniteNumbers() {
    }

    /** A value that is not a finite number where one is required. */
    static final class NonFiniteNumberException extends InvalidFormatException {

        NonFiniteNumberException(JsonParser parser, Object value, Class<?> type) {
            super(parser, "non-finite number", value, type);
        }
    }

    static JacksonModule module() {
        SimpleModule module = new SimpleModule("nnserve-finite-numbers");
        module.setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                    BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                Class<?> type = description.getBeanClass();
                boolean floating = type == double.class || type == Double.class || type == float.class
                        || type == Float.class;
                return floating ? new Finite(deserializer) : deserializer;
            }

            @Override
            public ValueDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType type,
                    BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                Class<?> raw = type.getRawClass();
                return raw == double[].class || raw == float[].class ? new Finite(deserializer) : deserializer;
            }
        });
        return module;
    }

    private static final class Finite extends DelegatingDeserializer {

        Finite(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new Finite(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            boolean strict = Boolean.TRUE.equals(context.getAttribute(REQUEST_BODY));
            if (strict && parser.currentToken() == JsonToken.VALUE_STRING) {
                return context.handleUnexpectedToken(handledType(), parser);
            }
            Object value = super.deserialize(parser, context);
            if (strict) {
                check(value, parser);
            }
            return value;
        }

        private static void check(Object value, JsonParser parser) {
            if (value instanceof Number number && !Double.isFinite(number.doubleValue())) {
                throw new NonFiniteNumberException(parser, value, value.getClass());
            }
            if (value instanceof double[] values) {
                for (int i = 0; i < values.length; i++) {
                    if (!Double.isFinite(values[i])) {
                        throw at(new NonFiniteNumberException(parser, values[i], double.class), values, i);
                    }
                }
            }
            if (value instanceof float[] values) {
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw at(new NonFiniteNumberException(parser, values[i], float.class), values, i);
                    }
                }
            }
        }

        private static NonFiniteNumberException at(NonFiniteNumberException e, Object array, int index) {
            e.prependPath(array, index);
            return e;
        }
    }
}
