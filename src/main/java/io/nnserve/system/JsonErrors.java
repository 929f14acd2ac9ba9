package io.nnserve.system;

import org.springframework.http.converter.HttpMessageNotReadableException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns a JSON parse or binding failure into a sentence a user can act on: where in the document, and what was
 * expected. Jackson's own messages name Java classes and source locations, which must not reach a client.
 */
final class JsonErrors {

    private JsonErrors() {
    }

    static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'" + at(unknown)
                    + "; check the spelling against the API documentation.";
        }
        if (cause instanceof JacksonException json) {
            String original = json.getOriginalMessage();
            String reason = original == null ? "malformed JSON" : firstSentence(original);
            return "The JSON body could not be read" + at(json) + ": " + reason;
        }
        return "The request body is missing or is not valid JSON.";
    }

    private static String at(JacksonException e) {
        String path = e.getPathReference();
        if (path == null || path.isBlank()) {
            return "";
        }
        // The path reference looks like "io.nnserve.training.TrainRequest[\"epochs\"]": keep only the JSON part.
        int bracket = path.indexOf('[');
        return bracket >= 0 ? " at " + path.substring(bracket).replace("\"", "'") : "";
    }

    private static String firstSentence(String message) {
        String cleaned = message.replaceAll("`[^`]*`", "value").replaceAll("\\b(java|io|tools)\\.[\\w.$]+", "value");
        int newline = cleaned.indexOf('\n');
        return newline > 0 ? cleaned.substring(0, newline) : cleaned;
    }
}
