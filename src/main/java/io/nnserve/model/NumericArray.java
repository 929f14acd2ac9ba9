package io.nnserve.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.nnserve.system.JsonErrors;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A rectangular JSON array of finite numbers (a vector, a matrix, or deeper), held as one row-major
 * {@code double[]} and its shape. It is read straight from the token stream into primitive doubles, with no boxed
 * lists in between (prediction inputs can be millions of numbers), and strictly: strings, nulls, booleans, NaN,
 * infinities and ragged rows are refused with the position of the first offender, never coerced.
 */
@Schema(types = "array", description = "A rectangular JSON array of finite numbers, or of such arrays (a row-major"
        + " matrix as an array of rows)")
@JsonDeserialize(using = NumericArray.Reader.class)
@JsonSerialize(using = NumericArray.Writer.class)
public final class NumericArray {

    /** Deeper nesting than any tensor we take; the JSON parser's own depth limit stops worse. */
    static final int MAX_RANK = 8;

    private final int[] shape;
    private final double[] values;

    private NumericArray(int[] shape, double[] values) {
        this.shape = shape;
        this.values = values;
    }

    public static NumericArray vector(double[] values) {
        return new NumericArray(new int[] {values.length}, values);
    }

    /** A rows x cols matrix over {@code values} (row-major, used as is, not copied). */
    public static NumericArray matrix(double[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " does not match " + values.length + " values");
        }
        return new NumericArray(new int[] {rows, cols}, values);
    }

    public int rank() {
        return shape.length;
    }

    /** The length along dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    public int[] shape() {
        return shape.clone();
    }

    /** All values, row-major (the array itself: callers own the parsed request and may transform it in place). */
    public double[] values() {
        return values;
    }

    public int size() {
        return values.length;
    }

    @Override
    public String toString() {
        return "NumericArray" + Arrays.toString(shape);
    }

    /** Reads nested arrays in one pass, fixing each dimension's length at its first complete sub-array. */
    static final class Reader extends ValueDeserializer<NumericArray> {

        @Override
        public NumericArray deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            // the whole path, so that a nested array's errors say where it is ('inputs[0].data'[3], not 'data'[3])
            String path = JsonErrors.path(p);
            String field = path == null ? "value" : "'" + path + "'";
            if (!p.isExpectedStartArrayToken()) {
                return ctxt.reportInputMismatch(NumericArray.class, "%s must be an array of numbers, got %s",
                        field, describe(p.currentToken()));
            }
            int[] shape = new int[MAX_RANK];
            boolean[] fixed = new boolean[MAX_RANK];
            int[] index = new int[MAX_RANK];
            int rank = -1;
            int depth = 0;
            Chunks chunks = new Chunks();
            JsonToken token;
            while (depth >= 0) {
                token = p.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    if (rank >= 0) {
                        checkLength(ctxt, field, shape, fixed, index, depth, depth + 1 == rank ? "values" : "elements");
                    } else {
                        return ctxt.reportInputMismatch(NumericArray.class, "%s%s is empty; it needs numbers",
                                field, position(index, depth));
                    }
                    depth--;
                    if (depth >= 0) {
                        index[depth]++;
                    }
                } else if (token == JsonToken.START_ARRAY) {
                    if (depth + 1 >= MAX_RANK) {
                        return ctxt.reportInputMismatch(NumericArray.class, "%s is nested more than %d levels deep",
                                field, MAX_RANK);
                    }
                    if (rank >= 0 && depth + 1 >= rank) {
                        return ctxt.reportInputMismatch(NumericArray.class, "%s%s must be a number, got an array",
                                field, position(index, depth + 1));
                    }
                    depth++;
                    index[depth] = 0;
                } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                    if (rank < 0) {
                        rank = depth + 1;
                    } else if (depth + 1 != rank) {
                        return ctxt.reportInputMismatch(NumericArray.class, "%s%s must be an array, got a number",
                                field, position(index, depth + 1));
                    }
                    double v = p.getDoubleValue();
                    if (!Double.isFinite(v)) {
                        return ctxt.reportInputMismatch(NumericArray.class, "%s%s is %s; only finite numbers are allowed",
                                field, position(index, depth + 1), p.getString());
                    }
                    chunks.add(v);
                    index[depth]++;
                } else {
                    // what belongs here: a number where the rows' numbers are, an array above them
                    String expected = rank < 0 ? "a number or an array of numbers"
                            : depth + 1 < rank ? "an array" : "a number";
                    return ctxt.reportInputMismatch(NumericArray.class, "%s%s must be %s, got %s",
                            field, position(index, depth + 1), expected, describe(token));
                }
            }
            return new NumericArray(Arrays.copyOf(shape, rank), chunks.toArray());
        }

        /** The first array closed at a depth fixes the length there; every later one must match it. */
        private static void checkLength(DeserializationContext ctxt, String field, int[] shape, boolean[] fixed,
                                        int[] index, int depth, String what) {
            int length = index[depth];
            if (!fixed[depth]) {
                shape[depth] = length;
                fixed[depth] = true;
            } else if (shape[depth] != length) {
                ctxt.reportInputMismatch(NumericArray.class,
                        "%s%s has %d %s but %s%s has %d; every one needs the same number",
                        field, position(index, depth), length, what, field, position(new int[depth], depth), shape[depth]);
            }
        }

        private static String position(int[] index, int depth) {
            StringBuilder s = new StringBuilder();
            for (int d = 0; d < depth; d++) {
                s.append('[').append(index[d]).append(']');
            }
            return s.toString();
        }

        private static String describe(JsonToken token) {
            if (token == null) {
                return "nothing";
            }
            return switch (token) {
                case VALUE_STRING -> "a string";
                case VALUE_NULL -> "null";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case START_OBJECT -> "an object";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                default -> "'" + token.asString() + "'";
            };
        }
    }

    /** Writes the nested form back (a matrix as an array of row arrays). */
    static final class Writer extends ValueSerializer<NumericArray> {

        @Override
        public void serialize(NumericArray value, JsonGenerator g, SerializationContext ctxt) throws JacksonException {
            write(value, g, 0, 0);
        }

        private static int write(NumericArray a, JsonGenerator g, int depth, int offset) {
            if (depth == a.shape.length - 1) {
                g.writeArray(a.values, offset, a.shape[depth]);
                return offset + a.shape[depth];
            }
            g.writeStartArray();
            for (int i = 0; i < a.shape[depth]; i++) {
                offset = write(a, g, depth + 1, offset);
            }
            g.writeEndArray();
            return offset;
        }
    }

    /**
     * Values gathered in growing chunks and copied once into an exact array at the end: a 10,000-row request is
     * copied once, instead of about three times with a doubling array.
     */
    private static final class Chunks {
        private static final int MAX_CHUNK = 1 << 20;
        private final List<double[]> full = new ArrayList<>();
        private double[] current = new double[256];
        private int used;
        private long total;

        void add(double v) {
            if (used == current.length) {
                full.add(current);
                total += used;
                current = new double[Math.min(current.length * 2, MAX_CHUNK)];
                used = 0;
            }
            current[used++] = v;
        }

        double[] toArray() {
            long size = total + used;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("too many numbers in one array: " + size);
            }
            double[] out = new double[(int) size];
            int at = 0;
            for (double[] chunk : full) {
                System.arraycopy(chunk, 0, out, at, chunk.length);
                at += chunk.length;
            }
            System.arraycopy(current, 0, out, at, used);
            return out;
        }
    }
}
