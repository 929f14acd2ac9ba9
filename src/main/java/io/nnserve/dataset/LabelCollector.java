package io.nnserve.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.nnserve.system.EchoedText;

/**
 * Collects one label per row, as class indices (0..C-1) or as class names, and resolves them into indices and an
 * ordered list of class names. Names are numbered in order of first appearance unless {@code classNames} gives
 * the order. Only distinct labels are remembered with where they first appeared, so memory stays small and each
 * problem names a row the user can find.
 */
final class LabelCollector {

    private enum Kind { INDEX, NAME }

    private final int maxClasses;
    private final Problems problems;
    private int[] labels = new int[1024];
    private int size;
    private Kind kind;
    private String kindField;
    /** For names: the first-appearance index of each distinct name. */
    private final Map<String, Integer> names = new LinkedHashMap<>();
    /** Where each distinct name (by first-appearance index) or index value first appeared. */
    private final List<String> firstNameField = new ArrayList<>();
    private final Map<Integer, String> firstIndexField = new HashMap<>();

    LabelCollector(int maxClasses, Problems problems) {
        this.maxClasses = maxClasses;
        this.problems = problems;
    }

    int size() {
        return size;
    }

    /** A numeric label (JSON number, IDX byte): must be a whole number in 0..maxClasses-1. */
    void addIndex(String field, double value, String text) {
        if (!sameKind(Kind.INDEX, field)) {
            append(0);
            return;
        }
        String problem = indexProblem(value, text);
        if (problem != null) {
            problems.add(field, problem);
            append(0);
            return;
        }
        int index = (int) value;
        firstIndexField.putIfAbsent(index, field);
        append(index);
    }

    /** A class name (JSON string, CSV text; CSV text that is all numbers is treated as indices at the end). */
    void addName(String field, String name) {
        if (!sameKind(Kind.NAME, field)) {
            append(0);
            return;
        }
        Integer index = names.get(name);
        if (index == null) {
            String problem = Names.classNameProblem(name);
            if (problem != null) {
                problems.add(field, problem);
                append(0);
                return;
            }
            if (names.size() >= maxClasses) {
                throw Problems.limit(field, "the number of distinct labels", maxClasses, "max-classes");
            }
            index = names.size();
            names.put(name, index);
            firstNameField.add(field);
        }
        append(index);
    }

    /** Whether some row's label is this text (CSV and JSON names; numbers before they are resolved). */
    boolean has(String name) {
        return names.containsKey(name);
    }

    /** Keeps the place of a row whose label was reported as a problem already. */
    void addRejected() {
        append(0);
    }

    /** The labels resolved; problems are recorded (and thrown by the caller). */
    record Resolved(int[] labels, List<String> classNames) {
    }

    /**
     * @param classNames the class names in label order given by the user, or null
     * @param namesMayBeNumbers true for CSV, where "3" is a class index and "setosa" a class name
     */
    Resolved resolve(List<String> classNames, boolean namesMayBeNumbers) {
        if (classNames != null) {
            checkClassNames(classNames);
        }
        if (kind == Kind.NAME && namesMayBeNumbers && !(classNames != null && classNames.containsAll(names.keySet()))) {
            // CSV labels that are numbers are class indices; all of them among classNames are names (-1,1 or 3,7,12)
            String firstText = firstNonNumber();
            if (firstText == null) {
                namesToIndices();
            } else if (firstNumberField() != null) {
                // "0","1" and one "NA": taken as names, the numbers would become classes in order of appearance
                problems.add(firstNameField.get(names.get(firstText)), "the label " + EchoedText.quote(firstText)
                        + " is not a number, but other labels are (" + firstNumberField() + ": class indices); a"
                        + " missing label? Every row needs one. If all labels are class names, list them in order"
                        + " with classNames");
                return new Resolved(Arrays.copyOf(labels, size), List.copyOf(names.keySet()));
            }
        }
        int[] result = Arrays.copyOf(labels, size);
        List<String> resolvedNames;
        if (kind == Kind.NAME) {
            resolvedNames = classNames != null ? classNames : List.copyOf(names.keySet());
            if (classNames != null) {
                int[] remap = new int[names.size()];
                for (Map.Entry<String, Integer> name : names.entrySet()) {
                    remap[name.getValue()] = classNames.indexOf(name.getKey());
                    if (remap[name.getValue()] < 0) {
                        problems.add(firstNameField.get(name.getValue()), "the label " + EchoedText.quote(name.getKey())
                                + " is not one of classNames " + shortList(classNames));
                    }
                }
                for (int i = 0; i < result.length; i++) {
                    result[i] = Math.max(0, remap[result[i]]);
                }
            }
        } else {
            int max = firstIndexField.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            int classes = classNames != null ? classNames.size() : max + 1;
            if (classNames != null) {
                firstIndexField.forEach((index, field) -> {
                    if (index >= classes) {
                        problems.add(field, "the label " + index + " is outside 0.." + (classes - 1)
                                + " (classNames has " + classes + " entries)");
                    }
                });
            }
            resolvedNames = classNames != null ? classNames : defaultNames(classes);
        }
        if (resolvedNames.size() > maxClasses) {
            throw Problems.limit("classNames", "the number of classes (" + resolvedNames.size() + ")", maxClasses, "max-classes");
        }
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < result.length && used.size() < 2; i++) {
            used.add(result[i]);
        }
        if (size > 0 && used.size() < 2 && problems.isEmpty()) {
            problems.add("labels", "every row has the same label (" + EchoedText.quote(resolvedNames.get(result[0]))
                    + "); a dataset needs at least 2 classes");
        }
        return new Resolved(result, resolvedNames);
    }

    private boolean sameKind(Kind wanted, String field) {
        if (kind == null) {
            kind = wanted;
            kindField = field;
            return true;
        }
        if (kind != wanted) {
            problems.add(field, (wanted == Kind.NAME ? "is a class name but " + kindField + " is a class index"
                    : "is a class index but " + kindField + " is a class name")
                    + "; use indices 0..C-1 or class names for every label, not both");
            return false;
        }
        return true;
    }

    private String indexProblem(double value, String text) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "the label " + text + " is not a finite number";
        }
        if (value != Math.rint(value)) {
            return "the label " + text + " is not a whole number; labels are class indices 0..C-1 or class names";
        }
        if (value < 0) {
            return "the label " + text + " is negative; class indices start at 0 (labels such as -1 and 1 are class"
                    + " names: list them with classNames, e.g. ?classNames=-1,1; in JSON, send them as strings)";
        }
        if (value >= maxClasses) {
            return "the label " + text + " is beyond the limit of " + maxClasses
                    + " classes (nnserve.limits.max-classes); class indices run 0..C-1";
        }
        return null;
    }

    /** The first name, in order of appearance, that is not a number; null when all are. */
    private String firstNonNumber() {
        for (String name : names.keySet()) {
            if (!isNumber(name)) {
                return name;
            }
        }
        return null;
    }

    /** Where the first label that is a number appeared, e.g. "line 2, column 3 ('label')"; null when none is. */
    private String firstNumberField() {
        for (Map.Entry<String, Integer> name : names.entrySet()) {
            if (isNumber(name.getKey())) {
                return firstNameField.get(name.getValue()) + " is " + EchoedText.quote(name.getKey());
            }
        }
        return null;
    }

    private static boolean isNumber(String name) {
        try {
            Decimal.parse(name.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void namesToIndices() {
        int[] remap = new int[names.size()];
        for (Map.Entry<String, Integer> name : names.entrySet()) {
            String field = firstNameField.get(name.getValue());
            double value = Decimal.parse(name.getKey().strip());
            String problem = indexProblem(value, name.getKey().strip());
            if (problem != null) {
                problems.add(field, problem);
            } else {
                remap[name.getValue()] = (int) value;
                firstIndexField.putIfAbsent((int) value, field);
            }
        }
        for (int i = 0; i < size; i++) {
            labels[i] = remap[labels[i]];
        }
        names.clear();
        kind = Kind.INDEX;
    }

    private void checkClassNames(List<String> classNames) {
        if (classNames.size() > maxClasses) {
            throw Problems.limit("classNames", "the number of class names (" + classNames.size() + ")", maxClasses, "max-classes");
        }
        if (classNames.size() < 2) {
            problems.add("classNames", "has " + classNames.size() + " entr" + (classNames.size() == 1 ? "y" : "ies")
                    + "; a dataset needs at least 2 classes");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            String name = classNames.get(i);
            String problem = Names.classNameProblem(name);
            if (problem != null) {
                problems.add("classNames[" + i + "]", problem);
            } else if (seen.putIfAbsent(name, i) != null) {
                problems.add("classNames[" + i + "]", "the class name " + EchoedText.quote(name) + " repeats classNames["
                        + seen.get(name) + "]; class names must be distinct");
            }
        }
    }

    private void append(int label) {
        if (size == labels.length) {
            labels = Arrays.copyOf(labels, size * 2);
        }
        labels[size++] = label;
    }

    private static List<String> defaultNames(int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return List.copyOf(names);
    }

    private static String shortList(List<String> names) {
        List<String> shown = names.size() > 10 ? names.subList(0, 10) : names;
        return "[" + String.join(", ", shown) + (names.size() > 10 ? ", ..." : "") + "]";
    }
}
