package io.nnserve.dataset;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * A streaming CSV tokenizer (RFC 4180 with the usual tolerances): comma-separated fields, optional double quotes
 * with {@code ""} for a quote inside, line ends {@code \n}, {@code \r\n} or {@code \r}, a leading byte order mark
 * skipped, lines without a value skipped, spaces around unquoted fields ignored. Reads one record at a time into reused
 * buffers; numbers are parsed straight from them, so a large file makes no string per value. Broken quoting stops
 * reading with a message naming the line.
 */
final class CsvReader {

    static final int MAX_FIELD_CHARS = 10_000;

    private final Reader in;
    private final int maxFields;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private boolean started;
    private int line = 1;
    private int recordLine;

    private char[] chars = new char[1024];
    private int length;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] quoted = new boolean[16];
    private int fields;

    CsvReader(Reader in, int maxFields) {
        this.in = in;
        this.maxFields = maxFields;
    }

    /**
     * Reads the next record that has a value; false at the end of the input. Blank lines, lines of spaces and lines
     * of only separators (the {@code ,,,} rows spreadsheets write below their data) are skipped: they hold nothing.
     */
    boolean next() throws IOException {
        while (nextRecord()) {
            for (int i = 0; i < fields; i++) {
                if (!isBlank(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean nextRecord() throws IOException {
        int c = read();
        while (c == '\n' || c == '\r') {
            endLine(c);
            c = read();
        }
        if (c < 0) {
            return false;
        }
        recordLine = line;
        fields = 0;
        length = 0;
        while (true) {
            c = readField(c);
            if (c == ',') {
                c = read();
                continue;
            }
            if (c >= 0) {
                endLine(c);
            }
            return true;
        }
    }

    /** The 1-based line on which the current record starts. */
    int line() {
        return recordLine;
    }

    int fields() {
        return fields;
    }

    /** The field's text; unquoted fields without surrounding spaces. */
    String text(int field) {
        return new String(chars, start(field), end(field) - start(field));
    }

    /** The field as a decimal number; NumberFormatException when it is not one. */
    double number(int field) {
        return Decimal.parse(chars, start(field), end(field));
    }

    boolean isBlank(int field) {
        return end(field) == start(field);
    }

    private int start(int field) {
        int s = starts[field];
        if (!quoted[field]) {
            while (s < ends[field] && isSpace(chars[s])) {
                s++;
            }
        }
        return s;
    }

    private int end(int field) {
        int e = ends[field];
        if (!quoted[field]) {
            // not below start(): a field of spaces is empty, not of negative length
            int s = start(field);
            while (e > s && isSpace(chars[e - 1])) {
                e--;
            }
        }
        return e;
    }

    /** Reads one field whose first character is {@code c}; returns the character that ended it. */
    private int readField(int c) throws IOException {
        if (fields == maxFields) {
            throw Problems.limit("line " + recordLine, "the number of feature columns", maxFields - 1L, "max-features");
        }
        int field = fields++;
        if (field == starts.length) {
            starts = Arrays.copyOf(starts, field * 2);
            ends = Arrays.copyOf(ends, field * 2);
            quoted = Arrays.copyOf(quoted, field * 2);
        }
        starts[field] = length;
        quoted[field] = false;
        while (isSpace(c)) {
            append(c, field);
            c = read();
        }
        if (c == '"') {
            length = starts[field];
            quoted[field] = true;
            int openedOn = line;
            while (true) {
                c = read();
                if (c < 0) {
                    throw Problems.fatal(where(field), "the quoted field that starts on line " + openedOn
                            + " is never closed; end it with a double quote");
                }
                if (c == '"') {
                    c = read();
                    if (c != '"') {
                        break;
                    }
                } else if (c == '\n' || c == '\r' && peek() != '\n') {
                    line++;
                }
                append(c, field);
            }
            while (isSpace(c)) {
                c = read();
            }
            if (c != ',' && c != '\n' && c != '\r' && c >= 0) {
                throw Problems.fatal(where(field), "unexpected " + describe(c) + " after the closing quote; inside a"
                        + " quoted field write a double quote as two (\"\"), and separate fields with commas");
            }
        } else {
            while (c != ',' && c != '\n' && c != '\r' && c >= 0) {
                if (c == '"') {
                    throw Problems.fatal(where(field), "a double quote inside an unquoted field; put the whole"
                            + " field in double quotes and write the quote inside it as two (\"\")");
                }
                append(c, field);
                c = read();
            }
        }
        ends[field] = length;
        return c;
    }

    private String where(int field) {
        return "line " + recordLine + ", column " + (field + 1);
    }

    private void append(int c, int field) {
        if (length - starts[field] >= MAX_FIELD_CHARS) {
            throw Problems.fatal(where(field), "the field is longer than " + MAX_FIELD_CHARS
                    + " characters; is the file really comma-separated CSV?");
        }
        if (length == chars.length) {
            chars = Arrays.copyOf(chars, length * 2);
        }
        chars[length++] = (char) c;
    }

    private void endLine(int c) throws IOException {
        if (c == '\r' && peek() == '\n') {
            read();
        }
        line++;
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++];
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position];
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        if (!started) {
            started = true;
            if (buffer[0] == '\uFEFF') {
                position = 1;
                return position < limit || fill();
            }
        }
        return true;
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t';
    }

    private static String describe(int c) {
        return Character.isISOControl(c) ? String.format("character U+%04X", c) : "character '" + (char) c + "'";
    }
}
