package io.nnserve.system;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the parameters of a raw query string that cannot be decoded, so that the 400 can name them: Tomcat
 * refuses the whole query at the first read without saying which parameter was at fault.
 */
final class UndecodableParameters {

    private UndecodableParameters() {
    }

    /** The parameters at fault, each with what is wrong; empty when the query string decodes (or there is none). */
    static List<InvalidInputException.FieldProblem> in(String query) {
        List<InvalidInputException.FieldProblem> problems = new ArrayList<>();
        if (query == null) {
            return problems;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = decode(rawName);
            if (name == null) {
                problems.add(new InvalidInputException.FieldProblem(EchoedText.shorten(rawName),
                        "this parameter's name cannot be decoded: " + RULE));
            } else if (eq >= 0 && decode(pair.substring(eq + 1)) == null) {
                problems.add(new InvalidInputException.FieldProblem(name, "the value cannot be decoded: " + RULE));
            }
        }
        return problems;
    }

    static final String RULE = "write each character outside unreserved ASCII as '%' and two hex digits per byte of"
            + " its UTF-8 encoding (for example 'é' as %C3%A9), and a literal '%' as %25";

    /** Strict form decoding ('+' is a space): null for a '%' without two hex digits or bytes that are not UTF-8. */
    static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
