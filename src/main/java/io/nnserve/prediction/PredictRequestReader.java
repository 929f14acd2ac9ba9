package io.nnserve.prediction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.springframework.stereotype.Component;

import io.nnserve.model.NumericArray;
import io.nnserve.system.FastJsonBody;
import io.nnserve.system.LimitsProperties;

/**
 * Reads the usual {@code POST /predict} body straight from its bytes into one {@code double[]}: a 10,000-row
 * request is 30 MB of numbers, and going through Jackson's tokens costs about twice as much. It takes only the plain
 * form, an object with {@code modelId}, {@code inputs} (a non-empty rectangular array of rows of JSON numbers) and
 * {@code output}, strings without escapes, each field at most once, nothing after the object. Everything else
 * (unknown fields, nulls, NaN, ragged or empty rows, malformed JSON, a number longer than the limit...) is declined
 * and read by Jackson from the same bytes, which answers with its usual 400 naming the problem.
 *
 * <p>Numbers come out exactly as Jackson reads them: an integer literal as its {@code long} value (so {@code -0} is
 * 0.0), a decimal one correctly rounded (exactly when it has at most 15 significant digits and a power of ten up to
 * 22, which covers what clients send; {@link Double#parseDouble} otherwise).
 */
@Component
class PredictRequestReader implements FastJsonBody<PredictRequest> {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final int maxNumberLength;
    private final int maxStringLength;
    private final boolean enabled;

    PredictRequestReader(LimitsProperties limits) {
        this.maxNumberLength = limits.jsonMaxNumberLength();
        this.maxStringLength = limits.jsonMaxStringLength();
        // the body nests three deep ({"inputs": [[...]]}): a lower configured limit is Jackson's to enforce
        this.enabled = limits.jsonMaxNestingDepth() >= 3;
    }

    @Override
    public Class<PredictRequest> type() {
        return PredictRequest.class;
    }

    @Override
    public PredictRequest read(byte[] body) {
        return enabled ? new Cursor(body, maxNumberLength, maxStringLength).predictRequest() : null;
    }

    /** Thrown to leave the body to Jackson; without a stack trace, it costs no more than a return. */
    private static final class Declined extends RuntimeException {
        private static final Declined INSTANCE = new Declined();

        private Declined() {
            super("left to Jackson", null, false, false);
        }
    }

    /** One pass over one body. */
    static final class Cursor {
        private final byte[] b;
        private final int end;
        private final int maxNumberLength;
        private final int maxStringLength;
        private int pos;
        /** The values array after {@link #row}, which may have had to grow it. */
        private double[] buffer;

        Cursor(byte[] body, int maxNumberLength, int maxStringLength) {
            this.b = body;
            this.end = body.length;
            this.maxNumberLength = maxNumberLength;
            this.maxStringLength = maxStringLength;
        }

        PredictRequest predictRequest() {
            try {
                return object();
            } catch (Declined | ArrayIndexOutOfBoundsException e) {
                // out of bounds: the body ends inside a token (reads past the end are only checked where a
                // token may legally end, e.g. after a number's digits)
                return null;
            }
        }

        private PredictRequest object() {
            String modelId = null;
            String output = null;
            NumericArray inputs = null;
            boolean seenModelId = false;
            boolean seenOutput = false;
            skipWhitespace();
            expect('{');
            do {
                skipWhitespace();
                String name = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                switch (name) {
                    case "modelId" -> {
                        decline(seenModelId);
                        seenModelId = true;
                        modelId = string();
                    }
                    case "output" -> {
                        decline(seenOutput);
                        seenOutput = true;
                        output = string();
                    }
                    case "inputs" -> {
                        decline(inputs != null);
                        inputs = matrix();
                    }
                    default -> throw Declined.INSTANCE;
                }
                skipWhitespace();
            } while (next() == ',');
            decline(b[pos - 1] != '}');
            skipWhitespace();
            decline(pos != end);
            return new PredictRequest(modelId, inputs, output);
        }

        /** A string without escapes, control characters or non-ASCII bytes (those are Jackson's to decode). */
        private String string() {
            expect('"');
            int start = pos;
            while (true) {
                byte c = b[pos];
                if (c == '"') {
                    break;
                }
                decline(c == '\\' || c < 0x20);
                pos++;
            }
            decline(pos - start > maxStringLength);
            return new String(b, start, pos++ - start, StandardCharsets.ISO_8859_1);
        }

        /** {@code [[n, ...], ...]}: at least one row, every row as long as the first and not empty. */
        private NumericArray matrix() {
            expect('[');
            double[] values = new double[capacity()];
            int count = 0;
            int rows = 0;
            int cols = -1;
            do {
                skipWhitespace();
                int rowStart = count;
                expect('[');
                count = row(values, count);
                values = buffer;
                int length = count - rowStart;
                if (cols < 0) {
                    cols = length;
                } else {
                    decline(length != cols);
                }
                rows++;
                skipWhitespace();
            } while (next() == ',');
            decline(b[pos - 1] != ']');
            return NumericArray.matrix(count == values.length ? values : Arrays.copyOf(values, count), rows, cols);
        }

        /**
         * The numbers of one row, after its '[' up to and past its ']', appended to {@code values} from
         * {@code count} on; returns the new count, leaves the (maybe grown) array in {@link #buffer}. The common
         * number, a short integer, is read here, with the position in a local; anything else by {@link #number}.
         */
        private int row(double[] values, int count) {
            byte[] b = this.b;
            int p = pos;
            while (true) {
                byte c;
                while ((c = b[p]) == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    p++;
                }
                int start = p;
                boolean negative = c == '-';
                if (negative) {
                    c = b[++p];
                }
                double value;
                int d = c - '0';
                if (d >= 1 && d <= 9) {
                    long v = d;
                    while ((d = b[++p] - '0') >= 0 && d <= 9) {
                        v = v * 10 + d;
                    }
                    c = b[p];
                    if (c == '.' || c == 'e' || c == 'E' || p - start > Math.min(18, maxNumberLength)) {
                        pos = start;
                        value = number();
                        p = pos;
                    } else {
                        value = negative ? -v : v;
                    }
                } else if (d == 0 && !isDigit(c = b[++p]) && c != '.' && c != 'e' && c != 'E') {
                    value = 0.0; // also for -0, an integer literal like any other: Jackson reads it as 0
                } else {
                    pos = start;
                    value = number();
                    p = pos;
                }
                if (count == values.length) {
                    values = Arrays.copyOf(values, grow(values.length));
                }
                values[count++] = value;
                while ((c = b[p++]) == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    // skipped
                }
                if (c == ']') {
                    pos = p;
                    buffer = values;
                    return count;
                }
                decline(c != ',');
            }
        }

        /**
         * Room for every number of a plain body, so that the array is filled as it is, never regrown nor trimmed:
         * as many rows as there are '[' left, each as long as the first (its commas, plus one). Never more numbers
         * than the bytes left could hold (two bytes at least each: a digit and a comma). A body that is not plain
         * may find the guess wrong: then the array grows, or is trimmed at the end.
         */
        private int capacity() {
            int rowEnd = pos;
            while (rowEnd < end && b[rowEnd] != ']') {
                rowEnd++;
            }
            long cols = count(b, pos, rowEnd, ',') + 1;
            long rows = count(b, pos, end, '[');
            long bound = (end - pos) / 2 + 1;
            return (int) Math.min(Math.min(rows * cols, bound), Integer.MAX_VALUE - 8);
        }

        /** How many bytes of {@code b[from, to)} are {@code c}: eight at a time (a 30 MB body in a few ms). */
        static long count(byte[] b, int from, int to, char c) {
            long pattern = 0x0101010101010101L * c;
            long count = 0;
            int i = from;
            for (; i + 8 <= to; i += 8) {
                long v = (long) LONGS.get(b, i) ^ pattern;
                // a byte of v is zero exactly where b had c: set its high bit, count them
                long t = (v & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL;
                count += Long.bitCount(~(t | v | 0x7F7F7F7F7F7F7F7FL));
            }
            for (; i < to; i++) {
                if (b[i] == c) {
                    count++;
                }
            }
            return count;
        }

        private static int grow(int length) {
            decline(length >= Integer.MAX_VALUE - 8);
            return (int) Math.min(Integer.MAX_VALUE - 8, length + (long) (length >> 1) + 64);
        }

        /** A JSON number, as Jackson would read it into a double; declined when not finite or malformed. */
        private double number() {
            int start = pos;
            boolean negative = b[pos] == '-';
            if (negative) {
                pos++;
            }
            long mantissa = 0;
            int digits = 0;
            int exponent = 0;
            byte c = b[pos];
            if (c == '0') {
                pos++;
                decline(pos < end && isDigit(b[pos]));
            } else {
                decline(c < '1' || c > '9');
                while (pos < end && isDigit(b[pos])) {
                    mantissa = mantissa * 10 + (b[pos++] - '0');
                    digits++;
                }
            }
            boolean integer = true;
            if (pos < end && b[pos] == '.') {
                integer = false;
                int fraction = ++pos;
                while (pos < end && isDigit(b[pos])) {
                    int d = b[pos++] - '0';
                    if (mantissa != 0 || d != 0) {
                        mantissa = mantissa * 10 + d;
                        digits++;
                    }
                    exponent--;
                }
                decline(pos == fraction);
            }
            if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
                integer = false;
                pos++;
                boolean negativeExponent = b[pos] == '-';
                if (negativeExponent || b[pos] == '+') {
                    pos++;
                }
                int first = pos;
                int e = 0;
                while (pos < end && isDigit(b[pos])) {
                    e = Math.min(e * 10 + (b[pos++] - '0'), 100_000);
                }
                decline(pos == first);
                exponent += negativeExponent ? -e : e;
            }
            decline(pos - start > maxNumberLength);
            double value;
            if (integer && digits <= 18) {
                value = negative ? -mantissa : mantissa;
            } else if (!integer && digits <= 15 && exponent >= -22 && exponent <= 22) {
                // both operands exact, so the one rounding of the division or product is the correct one
                value = exponent < 0 ? mantissa / POWERS_OF_TEN[-exponent] : mantissa * POWERS_OF_TEN[exponent];
                value = negative ? -value : value;
            } else {
                value = Double.parseDouble(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
            }
            decline(!Double.isFinite(value));
            return value;
        }

        private static boolean isDigit(byte c) {
            return c >= '0' && c <= '9';
        }

        private void skipWhitespace() {
            while (pos < end) {
                byte c = b[pos];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        private void expect(char c) {
            decline(pos >= end || b[pos] != c);
            pos++;
        }

        /** The byte at the cursor, stepped over (a separator or a closing bracket); declined at the end. */
        private byte next() {
            decline(pos >= end);
            return b[pos++];
        }

        private static void decline(boolean condition) {
            if (condition) {
                throw Declined.INSTANCE;
            }
        }
    }
}
