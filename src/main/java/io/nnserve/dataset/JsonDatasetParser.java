package io.nnserve.dataset;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.nnserve.system.EchoedText;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.LimitsProperties;
import io.nnserve.system.JsonErrors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads a dataset sent as JSON {@code {"name", "features": [[...], ...], "labels": [...], "classNames": [...]}}
 * token by token: the values go straight into float blocks, never into a tree of boxed numbers, so a body near
 * the JSON size limit costs about 4 bytes per value. Fields may come in any order; unknown fields are refused.
 */
final class JsonDatasetParser {

    private static final List<String> FIELDS = List.of("name", "features", "labels", "classNames");

    private final LimitsProperties limits;
    private final JsonFactory factory;

    JsonDatasetParser(LimitsProperties limits) {
        this.limits = limits;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.jsonMaxNestingDepth())
                        .maxNumberLength(limits.jsonMaxNumberLength())
                        .maxStringLength(limits.jsonMaxStringLength())
                        .build())
                .build();
    }

    /**
     * @param defaultName {@code ?name=}: the name when the body has none
     * @param queryClassNames {@code ?classNames=}: the class names when the body has none
     */
    NewDataset parse(InputStream body, String defaultName, List<String> queryClassNames) {
        DatasetBuilder builder = new DatasetBuilder(SizeLimits.of(limits));
        String name = null;
        List<String> classNames = null;
        JsonParser p = null;
        try {
            p = factory.createParser(ObjectReadContext.empty(), body);
            JsonToken start = p.nextToken();
            if (start == null) {
                throw Problems.fatal("body", "the body is empty; expected a JSON object {\"name\", \"features\", \"labels\", \"classNames\"}");
            }
            if (start != JsonToken.START_OBJECT) {
                throw Problems.fatal("body", "expected a JSON object {\"name\", \"features\", \"labels\", \"classNames\"}");
            }
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                if (!FIELDS.contains(field)) {
                    throw Problems.fatal(field, "unknown field " + EchoedText.quote(field) + "; the fields are "
                            + FIELDS);
                }
                if (!seen.add(field)) {
                    throw Problems.fatal(field, "the field appears twice");
                }
                JsonToken value = p.nextToken();
                switch (field) {
                    case "name" -> name = readName(p, value, builder);
                    case "features" -> readFeatures(p, value, builder);
                    case "labels" -> readLabels(p, value, builder);
                    default -> classNames = readClassNames(p, value, builder);
                }
            }
            if (p.nextToken() != null) {
                throw Problems.fatal("body", "there is more after the end of the JSON object; send one object");
            }
            if (!seen.contains("features") || !seen.contains("labels")) {
                throw Problems.fatal(seen.contains("features") ? "labels" : "features",
                        "the field is required; a dataset needs both features (rows of numbers) and labels");
            }
        } catch (JacksonIOException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            throw constraint(e);
        } catch (JacksonException e) {
            throw Problems.fatal("body", "not valid JSON" + at(e.getLocation()) + ": " + clean(e.getOriginalMessage()));
        } finally {
            if (p != null) {
                p.close();
            }
        }
        if (queryClassNames != null && classNames != null && !queryClassNames.equals(classNames)) {
            throw Problems.fatal("classNames", "is given in the body and as ?classNames=, differently; give it once");
        }
        if (defaultName != null && name != null && !defaultName.equals(name)) {
            throw Problems.fatal("name", "is given in the body and as ?name=, differently; give it once");
        }
        return builder.build(name != null ? name : defaultName != null ? defaultName : "dataset",
                classNames != null ? classNames : queryClassNames, false);
    }

    private static String readName(JsonParser p, JsonToken value, DatasetBuilder builder) {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            builder.problems().add("name", "must be a string");
            p.skipChildren();
            return null;
        }
        return p.getString();
    }

    private void readFeatures(JsonParser p, JsonToken value, DatasetBuilder builder) {
        if (value != JsonToken.START_ARRAY) {
            throw Problems.fatal("features", "must be an array of rows, each an array of numbers: [[5.1, 3.5], [4.9, 3.0]]");
        }
        float[] row = new float[16];
        int r = 0;
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_ARRAY) {
                builder.problems().add("features[" + r + "]", "is " + describe(token) + ", not an array of numbers");
                p.skipChildren();
                builder.addRejectedRow("features[" + r + "]");
                r++;
                continue;
            }
            int n = 0;
            boolean valid = true;
            while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                if (n == row.length) {
                    builder.checkFeatureCount(n + 1, "features[" + r + "]");
                    row = Arrays.copyOf(row, Math.min(n * 2, limits.maxFeatures()));
                }
                if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                    double v = p.getDoubleValue();
                    if (Math.abs(v) <= Float.MAX_VALUE) {
                        row[n] = (float) v;
                        builder.track(n, v);
                    } else {
                        valid &= builder.checkValue(v, p.getText(), "features[" + r + "][" + n + "]");
                    }
                } else {
                    builder.problems().add("features[" + r + "][" + n + "]", "is " + describe(token)
                            + (token == JsonToken.VALUE_STRING ? " (" + EchoedText.quote(p.getString()) + ")" : "")
                            + "; every feature must be a finite number");
                    p.skipChildren();
                    valid = false;
                }
                n++;
            }
            builder.addRow(row, n, valid, "features[" + r + "]");
            r++;
        }
    }

    private void readLabels(JsonParser p, JsonToken value, DatasetBuilder builder) {
        if (value != JsonToken.START_ARRAY) {
            throw Problems.fatal("labels", "must be an array with one class index (0..C-1) or class name per row");
        }
        LabelCollector labels = builder.labels();
        int i = 0;
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            String field = "labels[" + i + "]";
            if (i++ >= limits.maxRows()) {
                throw Problems.limit("labels", "the number of labels", limits.maxRows(), "max-rows");
            }
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                labels.addIndex(field, p.getDoubleValue(), p.getText());
            } else if (token == JsonToken.VALUE_STRING) {
                labels.addName(field, p.getString());
            } else {
                builder.problems().add(field, "is " + describe(token) + "; a label is a class index (0..C-1) or a class name");
                p.skipChildren();
                labels.addRejected();
            }
        }
    }

    private List<String> readClassNames(JsonParser p, JsonToken value, DatasetBuilder builder) {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_ARRAY) {
            throw Problems.fatal("classNames", "must be an array of class names in label order, e.g. [\"cat\", \"dog\"]");
        }
        List<String> names = new ArrayList<>();
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (names.size() >= limits.maxClasses()) {
                throw Problems.limit("classNames", "the number of class names", limits.maxClasses(), "max-classes");
            }
            if (token == JsonToken.VALUE_STRING) {
                names.add(p.getString());
            } else {
                builder.problems().add("classNames[" + names.size() + "]", "is " + describe(token) + ", not a string");
                p.skipChildren();
                names.add("?" + names.size());
            }
        }
        return names;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "a string";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> "not a value";
        };
    }

    /** A parser constraint of nnserve.limits.json-* that the body exceeds, named with its property. */
    private InvalidInputException constraint(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        String where = "body" + at(e.getLocation());
        if (message.contains("nesting depth")) {
            return Problems.limit(where, "the nesting depth", limits.jsonMaxNestingDepth(), "json-max-nesting-depth");
        }
        if (message.startsWith("Number")) {
            return Problems.limit(where, "the length of a number", limits.jsonMaxNumberLength(), "json-max-number-length");
        }
        if (message.startsWith("String") || message.startsWith("Name")) {
            return Problems.limit(where, "the length of a string", limits.jsonMaxStringLength(), "json-max-string-length");
        }
        return Problems.fatal(where, clean(message));
    }

    private static String at(TokenStreamLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Jackson's message without the Java names and feature hints that mean nothing to a user. */
    private static String clean(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        String first = message.lines().findFirst().orElse(message);
        int hint = first.indexOf(": enable");
        if (hint > 0) {
            return first.substring(0, hint).replaceAll("`[^`]*`", "a value")
                    + "; JSON has no NaN or Infinity, and every value must be a finite number";
        }
        return JsonErrors.firstSentence(first.replaceAll("\\(for [^)]*\\)", ""));
    }
}
