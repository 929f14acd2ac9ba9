package io.nnserve.system;

import java.util.Collection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.http.converter.HttpMessageNotReadableException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns a JSON parse or binding failure into a sentence a user can act on: which field (as a JSON path such as
 * {@code rows[3][1]}), what was expected, what came instead, or where the syntax broke. Jackson's own messages name
 * Java classes and source descriptions, which must not reach a client.
 */
public final class JsonErrors {

    private static final Pattern UNEXPECTED_CHARACTER = Pattern.compile("Unexpected character \\(('.+?')");
    private static final Pattern LAST_INDEX = Pattern.compile("\\[(\\d+)]$");

    /** What went wrong, and the JSON path of the field it concerns (null when it is the document as a whole). */
    record Described(String detail, String field) {
    }

    private JsonErrors() {
    }

    static String describe(HttpMessageNotReadableException e) {
        return explain(e).detail();
    }

    static Described explain(HttpMessageNotReadableException e) {
        JacksonException json = ProblemHandler.findCause(e, JacksonException.class);
        if (json == null) {
            // no parser error: an empty body or the JSON literal null (Spring: "Required request body is missing"),
            // which no endpoint takes, or a body that could not be read at all
            boolean missing = e.getMessage() != null && e.getMessage().startsWith("Required request body is missing");
            return new Described(missing ? "The request body is empty or JSON null: send a JSON object."
                    : "The request body could not be read as JSON.", null);
        }
        String field = pathOf(json);
        String parsing = parserPath(json);
        if (parsing != null && (field == null || parsing.startsWith(field) && parsing.length() > field.length())) {
            // A syntax error inside a field that a deserializer of ours was reading: the parser knows the element.
            field = parsing;
        }
        String where = field == null ? "" : "Field '" + field + "'";
        if (json instanceof UnrecognizedPropertyException unknown) {
            String at = field == null || field.equals(unknown.getPropertyName()) ? "" : " (at '" + field + "')";
            return new Described("Unknown field '" + unknown.getPropertyName() + "'" + at + known(unknown)
                    + "; check the spelling against the API documentation.", field);
        }
        if (json instanceof StreamConstraintsException limit) {
            return new Described(constraint(limit), field);
        }
        if (json instanceof InvalidNullException invalidNull) {
            String name = field != null ? field : String.valueOf(invalidNull.getPropertyName());
            return new Described("Field '" + name + "' must be " + expected(invalidNull.getTargetType())
                    + "; it is null or missing.", name);
        }
        if (json instanceof FiniteNumbers.NonFiniteNumberException) {
            return new Described(prefix(where) + "must be a finite number; NaN and infinite values are not"
                    + " accepted.", field);
        }
        if (json instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return new Described(prefix(where) + "'" + format.getValue() + "' is not one of the accepted values: "
                    + enumValues(format.getTargetType()) + ".", field);
        }
        String original = String.valueOf(json.getOriginalMessage());
        if (json instanceof ValueInstantiationException instantiation
                && instantiation.getCause() instanceof IllegalArgumentException invalid && invalid.getMessage() != null) {
            // A request record that validates itself in its constructor: its message is meant for the user.
            return new Described(invalid.getMessage(), field);
        }
        if (json instanceof MismatchedInputException && !original.contains("`") && !original.isBlank()) {
            // A deserializer of ours (reportInputMismatch) wrote this for the user; Jackson's own messages quote
            // Java types in backticks.
            return new Described(original, field);
        }
        if (original.startsWith("Duplicate Object property")) {
            return new Described("The JSON body has the field " + original.substring(original.indexOf('"'))
                    .replaceAll("\"([^\"]*)\".*", "'$1'") + " twice; send each field once.", field);
        }
        if (original.startsWith("Trailing token")) {
            return new Described("The JSON body goes on after its first value" + location(json.getLocation())
                    + "; send exactly one JSON document.", null);
        }
        if (json instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                && !expected(mismatch.getTargetType()).equals(got(mismatch.getCurrentToken()))) {
            return new Described(prefix(where) + "must be " + expected(mismatch.getTargetType()) + ", not "
                    + got(mismatch.getCurrentToken()) + ".", field);
        }
        if (json instanceof InputCoercionException coercion) {
            return new Described(prefix(where) + "the number is out of range for "
                    + expected(coercion.getTargetType()) + ".", field);
        }
        if (original.startsWith("Non-standard token")) {
            return new Described("The JSON body could not be read: " + (field == null ? "a value" : "'" + field + "'")
                    + " is NaN or infinite, which JSON does not allow; send a finite number.", field);
        }
        String previous = original.contains("was expecting comma to separate Array entries") && field != null
                ? previousElement(field) : null;
        if (previous != null) {
            // The parser has read an element (the 0 of 0x4, the 1 of [1 2]) and stops at what follows it, counting
            // it as the next element: the one to fix is the one it read.
            Matcher character = UNEXPECTED_CHARACTER.matcher(original);
            return new Described("The JSON body could not be read" + location(json.getLocation()) + ": "
                    + (character.find() ? character.group(1) : "a character") + " comes right after '" + previous
                    + "', where only a comma or ']' may; write numbers in decimal and separate elements with commas.",
                    previous);
        }
        return new Described("The JSON body could not be read" + location(json.getLocation())
                + (field == null ? "" : " (in field '" + field + "')") + ": " + firstSentence(json.getOriginalMessage()),
                field);
    }

    /** {@code rows[1][1]} for {@code rows[1][2]}; null when the path does not end in an index above 0. */
    private static String previousElement(String path) {
        Matcher last = LAST_INDEX.matcher(path);
        if (!last.find() || Integer.parseInt(last.group(1)) == 0) {
            return null;
        }
        return path.substring(0, last.start()) + "[" + (Integer.parseInt(last.group(1)) - 1) + "]";
    }

    private static String prefix(String where) {
        return where.isEmpty() ? "A value " : where + " ";
    }

    /** A JSON path such as {@code rows[3][1]} or {@code preprocessing.offset}, or null for the root. */
    static String pathOf(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    /**
     * For a syntax error, which Jackson reports without a path: the field the parser was in, from its context
     * (e.g. {@code learningRate} for {@code {"learningRate": NaN}}), or null at the top level.
     */
    private static String parserPath(JacksonException e) {
        return e.processor() instanceof JsonParser parser ? path(parser) : null;
    }

    /**
     * Where the parser stands, as a field path ({@code inputs[0].data}, {@code rows[2][1]}); null at the top level.
     * A deserializer of ours names its field with it, so that a nested field's errors say where it is.
     */
    public static String path(JsonParser parser) {
        if (parser.streamReadContext() == null) {
            return null;
        }
        java.util.Deque<String> segments = new java.util.ArrayDeque<>();
        for (TokenStreamContext context = parser.streamReadContext(); context != null && !context.inRoot();
                context = context.getParent()) {
            if (context.inObject() && context.currentName() != null) {
                segments.addFirst("." + context.currentName());
            } else if (context.inArray() && context.hasCurrentIndex()) {
                segments.addFirst("[" + context.getCurrentIndex() + "]");
            }
        }
        String path = String.join("", segments);
        if (path.startsWith(".")) {
            path = path.substring(1);
        }
        return path.isEmpty() ? null : path;
    }

    private static String known(UnrecognizedPropertyException unknown) {
        Collection<Object> ids = unknown.getKnownPropertyIds();
        if (ids == null || ids.isEmpty() || ids.size() > 40) {
            return "";
        }
        return "; known fields: " + ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String constraint(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("nesting depth")) {
            return limit("nested too deeply", "nnserve.limits.json-max-nesting-depth");
        }
        if (message.contains("number value length")) {
            return limit("has a number literal that is too long", "nnserve.limits.json-max-number-length");
        }
        if (message.contains("string value length")) {
            return limit("has a string that is too long", "nnserve.limits.json-max-string-length");
        }
        if (message.contains("name length")) {
            // a name's limit is the string limit's, at most 1,000 characters (JsonHardening.readConstraints)
            return limit("has a field name that is too long", "nnserve.limits.json-max-string-length, at most 1000"
                    + " characters for a name");
        }
        if (message.contains("document length")) {
            return limit("is too long", LimitsConfiguration.JSON_PROPERTY);
        }
        return "The JSON body is over a parser limit; see GET /limits.";
    }

    private static String limit(String what, String property) {
        return "The JSON body " + what + " (limit: configuration property " + property + ", see GET /limits).";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == byte.class || type == Byte.class
                || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + enumValues(type);
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String enumValues(Class<?> type) {
        Object[] constants = type.getEnumConstants();
        if (constants == null) {
            return "the documented values";
        }
        return java.util.Arrays.stream(constants).map(c -> "'" + ((Enum<?>) c).name().toLowerCase(Locale.ROOT) + "'")
                .collect(Collectors.joining(", "));
    }

    private static String got(JsonToken token) {
        if (token == null) {
            return "what was sent";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            case NOT_AVAILABLE -> "the end of the body";
            default -> "what was sent";
        };
    }

    private static String location(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Jackson's first sentence, without source descriptions, backticked Java types or class names. */
    public static String firstSentence(String message) {
        if (message == null || message.isBlank()) {
            return "malformed JSON";
        }
        // cut at the earliest marker: " at [Source" also occurs inside " (start marker at [Source"
        int cutAt = message.length();
        for (String cut : new String[] {"\n", " at [Source", " (start marker at", "[Source:"}) {
            int at = message.indexOf(cut);
            if (at > 0 && at < cutAt) {
                cutAt = at;
            }
        }
        String cleaned = message.substring(0, cutAt);
        // what JSON's relatives allow, said in JSON's terms rather than as a parser feature to enable
        if (cleaned.contains("maybe a (non-standard) comment")) {
            return cleaned.substring(0, cleaned.indexOf("maybe a (non-standard) comment"))
                    + "JSON has no comments; remove them";
        }
        if (cleaned.contains("was expecting double-quote to start property name")) {
            return cleaned + ": in JSON every field name is in double quotes (\"name\"), as every string is";
        }
        cleaned = cleaned.replaceAll(" *\\((?:not recognized as one )?since Feature '[A-Z_]+' not enabled for parser\\)", "");
        cleaned = cleaned.replaceAll(":? *\\(?(enable|disable) `[^`]*` to allow\\)?", "")
                .replaceAll("`[^`]*`", "value").replaceAll("\\b(java|javax|jakarta|io|tools|org|com)\\.[\\w.$]+",
                "value");
        return cleaned.strip();
    }
}
