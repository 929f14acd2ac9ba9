package io.nnserve.dataset;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.nnserve.system.EchoedText;
import io.nnserve.system.InvalidInputException;


/**
 * Reads a dataset from CSV: a header row naming the columns, then one row per sample. The label column is the
 * one named by {@code label} (default: the last); every other column is a numeric feature. Labels that are all
 * numbers are class indices 0..C-1; otherwise they are class names.
 */
final class CsvDatasetParser {

    private final SizeLimits limits;

    CsvDatasetParser(SizeLimits limits) {
        this.limits = limits;
    }

    /**
     * @param headerGiven true when the client says the first line is the header, whatever it looks like (column
     *                    names that are numbers); false to have it checked
     */
    NewDataset parse(Reader reader, String name, String labelColumn, List<String> classNames, boolean headerGiven)
            throws IOException {
        CsvReader csv = new CsvReader(reader, limits.maxFeatures() + 1);
        if (!csv.next()) {
            throw Problems.fatal("file", "the CSV is empty; it needs a header row naming the columns, then one row per sample");
        }
        List<String> header = new ArrayList<>(csv.fields());
        for (int i = 0; i < csv.fields(); i++) {
            header.add(csv.text(i));
        }
        String line1 = String.join(",", header);
        boolean likeARow = !headerGiven && labelColumn == null && checkHeaderIsNotData(csv, header);
        if (header.size() < 2) {
            throw Problems.fatal("line 1", "the header " + EchoedText.quote(line1) + " is a single column"
                    + separatorHint(line1)
                    + "; a dataset needs a label column and at least one feature column");
        }
        checkColumnNames(header);
        int label = labelIndex(header, labelColumn);
        DatasetBuilder builder = new DatasetBuilder(limits);
        builder.features(header.size() - 1, "line 1");
        // feature f is the f-th column that is not the label's
        builder.columnNames(f -> featureColumn(f, label, header));
        List<String> featureNames = new ArrayList<>(header);
        featureNames.remove(label);
        builder.featureNames(featureNames.stream().map(String::strip).toList());
        float[] row = new float[header.size() - 1];
        while (csv.next()) {
            readRow(csv, header, label, row, builder);
        }
        if (likeARow && builder.labels().has(header.get(label))) {
            throw looksLikeData(line1, " (" + EchoedText.quote(header.get(label))
                    + " is a label of the rows below it)");
        }
        return builder.build(name, classNames, true);
    }

    private static void readRow(CsvReader csv, List<String> header, int label, float[] row, DatasetBuilder builder) {
        String line = "line " + csv.line();
        if (csv.fields() != header.size()) {
            builder.problems().add(line, "the row has " + csv.fields() + " fields but the header has " + header.size()
                    + "; every row needs a value for every column");
            builder.labels().addRejected();
            builder.addRejectedRow(line);
            return;
        }
        boolean valid = true;
        int f = 0;
        for (int i = 0; i < csv.fields(); i++) {
            if (i == label) {
                continue;
            }
            valid &= readValue(csv, i, header, row, f++, builder);
        }
        if (csv.isBlank(label)) {
            builder.problems().add(column(line, label, header), "the label is empty; every row needs a label");
            builder.labels().addRejected();
        } else {
            builder.labels().addName(column(line, label, header), csv.text(label));
        }
        builder.addRow(row, row.length, valid, line);
    }

    private static boolean readValue(CsvReader csv, int i, List<String> header, float[] row, int f,
            DatasetBuilder builder) {
        if (csv.isBlank(i)) {
            builder.problems().add(column("line " + csv.line(), i, header), "the value is missing; every feature must be a number");
            return false;
        }
        double value;
        try {
            value = csv.number(i);
        } catch (NumberFormatException e) {
            String text = csv.text(i);
            builder.problems().add(column("line " + csv.line(), i, header), EchoedText.quote(text)
                    + (Decimal.isNonFiniteWord(text) ? " is not a finite number" : " is not a number")
                    + "; every feature must be a finite decimal number");
            return false;
        }
        if (!builder.checkValue(value, csv.text(i), column("line " + csv.line(), i, header))) {
            return false;
        }
        row[f] = (float) value;
        builder.track(f, value);
        return true;
    }

    /** Feature {@code f}: the f-th column that is not the label's. */
    private static String featureColumn(int f, int label, List<String> header) {
        int index = f < label ? f : f + 1;
        return "column " + (index + 1) + " (" + EchoedText.quote(header.get(index)) + ")";
    }

    private static String column(String line, int index, List<String> header) {
        return line + ", column " + (index + 1) + " (" + EchoedText.quote(header.get(index)) + ")";
    }

    /**
     * A first line of numbers is data: the header is missing, and taking the line as one would silently lose a
     * row. Whole numbers are accepted as column names ("0,1,...,63,digit"), fractions are not ("5.1,3.5,setosa").
     * Returns whether the line is whole numbers but for its last field, which is text: a header of numbered columns
     * and the label column's name ("0,1,...,63,digit"), or a row of counts and its label ("1,2,cat"). The labels
     * tell: a row's label is a class, found again below it; a column's name is not.
     */
    private static boolean checkHeaderIsNotData(CsvReader csv, List<String> header) {
        boolean fraction = false;
        for (int i = 0; i < header.size(); i++) {
            boolean number = isNumber(csv, i);
            if (!number && i < header.size() - 1) {
                return false;
            }
            if (!number) {
                // numbers with fractions, then text: a row and its label ("5.1,3.5,setosa")
                if (fraction) {
                    break;
                }
                return true;
            }
            fraction |= !header.get(i).strip().chars().allMatch(Character::isDigit);
        }
        throw looksLikeData(String.join(",", header), "");
    }

    private static boolean isNumber(CsvReader csv, int field) {
        try {
            return !csv.isBlank(field) && !Double.isNaN(csv.number(field));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static InvalidInputException looksLikeData(String line1, String why) {
        return Problems.fatal("line 1", "the first line " + EchoedText.quote(line1) + " looks like data, not a header"
                + why
                + "; add a header row naming the columns (e.g. x1,x2,label), or, if this line is the header (columns"
                + " named by numbers), send ?header=true");
    }

    /**
     * Every column needs a name. A nameless one (or pandas' "Unnamed: 0", what a nameless column becomes once read
     * and saved again) is, nearly always, the row index a data frame was saved with: taken as a feature, it would
     * count rows, and on data sorted by class it gives the label away.
     */
    private static void checkColumnNames(List<String> header) {
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            if (!name.isEmpty() && !UNNAMED.matcher(name).matches()) {
                continue;
            }
            String column = "line 1, column " + (i + 1);
            String what = name.isEmpty() ? "the column has no name" : "the column is named " + EchoedText.quote(name);
            if (i == 0 || !name.isEmpty()) {
                throw Problems.fatal(column, what + ": this is usually the row index a data frame was saved with"
                        + " (pandas to_csv without index=False, R write.csv without row.names = FALSE), which would be"
                        + " taken as a feature; save the file without it, or name the column if it holds a feature");
            }
            throw Problems.fatal(column, what + "; name every column" + (i == header.size() - 1
                    ? " (a separator at the end of the header line makes an empty last column)" : ""));
        }
    }

    private static final Pattern UNNAMED = Pattern.compile("Unnamed: \\d+");

    /** What to say about a header that is one column: a file separated by semicolons or tabs. */
    private static String separatorHint(String line1) {
        if (line1.indexOf(';') >= 0) {
            return " (fields are separated by commas, and this line has semicolons, as spreadsheets write CSV in"
                    + " some locales: save it as comma-separated, with '.' as the decimal point)";
        }
        if (line1.indexOf('\t') >= 0) {
            return " (fields are separated by commas, and this line has tabs: convert the file to comma-separated)";
        }
        return "";
    }

    private static int labelIndex(List<String> header, String labelColumn) {
        if (labelColumn == null || labelColumn.isBlank()) {
            return header.size() - 1;
        }
        int index = header.indexOf(labelColumn);
        if (index < 0) {
            List<String> shown = header.size() > 20 ? header.subList(0, 20) : header;
            throw Problems.fatal("label", "there is no column " + EchoedText.quote(labelColumn) + "; the columns are "
                    + String.join(", ", shown) + (header.size() > 20 ? ", ..." : ""));
        }
        if (header.lastIndexOf(labelColumn) != index) {
            throw Problems.fatal("label", "the header has more than one column named " + EchoedText.quote(labelColumn)
                    + "; rename one of them");
        }
        return index;
    }
}
