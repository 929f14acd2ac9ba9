package io.nnserve.dataset;

/**
 * Rules for dataset and class names: text a person can read, show and type back. Public for the class names of
 * imported models, which must obey the same rule as those of datasets.
 */
public final class Names {

    static final int MAX_LENGTH = 200;
    /** How much of a user's value an error message shows. */
    private static final int SHOWN_LENGTH = 40;

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
        return problem == null ? null : "the class name " + (name == null ? "null" : quote(name)) + " " + problem;
    }

    /** Records a problem with a dataset's name (field "name"), if it has one. */
    static void checkDatasetName(String name, Problems problems) {
        String problem = problem(name);
        if (problem != null) {
            problems.add("name", "the dataset name " + (name == null ? "" : quote(name) + " ") + problem);
        }
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /**
     * A user's value as an error message echoes it: its first 40 characters (a character is never cut in half), "..."
     * marking the cut, so that a 400 stays short whatever was sent. Null stays null.
     */
    public static String shorten(String value) {
        if (value == null || value.length() <= SHOWN_LENGTH || value.codePointCount(0, value.length()) <= SHOWN_LENGTH) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, SHOWN_LENGTH)) + "...";
    }

    /** A user's value for an error message: {@link #shorten shortened}, control characters escaped, in quotes. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder("'");
        shorten(value).codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('\'').toString();
    }
}
