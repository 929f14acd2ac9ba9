package io.nnserve.dataset;

import io.nnserve.system.EchoedText;

/**
 * Rules for dataset and class names: text a person can read, show and type back. Public for the class names of
 * imported models, which must obey the same rule as those of datasets.
 */
public final class Names {

    static final int MAX_LENGTH = 200;

    private Names() {
    }

    /** Why {@code name} is not acceptable, or null when it is. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.isBlank()) {
            return "is blank: it has only white space";
        }
        if (name.length() > MAX_LENGTH) {
            return "is " + name.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                return String.format("contains the control character U+%04X at position %d", (int) c, i);
            }
            if (Character.getType(c) == Character.SURROGATE && !validSurrogate(name, i)) {
                return String.format("contains U+%04X at position %d, half of a surrogate pair without its other half"
                        + " (not a character: encode the text as UTF-8)", (int) c, i);
            }
        }
        return null;
    }

    /** What is wrong with a class name, as a sentence naming it, or null when nothing is. */
    public static String classNameProblem(String name) {
        String problem = problem(name);
        return problem == null ? null
                : "the class name " + (name == null ? "null" : EchoedText.quote(name)) + " " + problem;
    }

    /** Records a problem with a dataset's name (field "name"), if it has one. */
    static void checkDatasetName(String name, Problems problems) {
        String problem = problem(name);
        if (problem != null) {
            problems.add("name", "the dataset name " + (name == null ? "" : EchoedText.quote(name) + " ") + problem);
        }
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
