package io.nnserve.system;

/**
 * A client's value as an error message echoes it: short whatever was sent, so that a 400 stays small when the value
 * was a megabyte, and printable, so that a control character cannot break the message or a log line.
 */
public final class EchoedText {

    /** How much of a client's value an error message shows, in characters. */
    static final int SHOWN_LENGTH = 40;

    private EchoedText() {
    }

    /**
     * Its first {@value #SHOWN_LENGTH} characters (a character is never cut in half), "..." marking the cut. Null
     * stays null.
     */
    public static String shorten(String value) {
        if (value == null || value.length() <= SHOWN_LENGTH || value.codePointCount(0, value.length()) <= SHOWN_LENGTH) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, SHOWN_LENGTH)) + "...";
    }

    /** {@link #shorten Shortened}, control characters escaped ({@code \u000A}), in single quotes. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder("'");
        String shown = shorten(value);
        (shown == null ? "null" : shown).codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('\'').toString();
    }
}
