package io.nnserve.dataset;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;


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

    NewDataset parse(Reader reader, String name, String labelColumn, List<String> classNames) throws IOException {
        CsvReader csv = new CsvReader(reader, limits.maxFeatures() + 1);
        if (!csv.next()) {
            throw Problems.fatal("file", "the CSV is empty; it needs a header row naming the columns, then one row per sample");
        }
        List<String> header = new ArrayList<>(csv.fields());
        for (int i = 0; i < csv.fields(); i++) {
            header.add(csv.text(i));
        }
        checkHeaderIsNotData(csv, header);
        int label = labelIndex(header, labelColumn);
        if (header.size() < 2) {
            throw Problems.fatal("line 1", "the header has only the label column " + Names.quote(header.get(label))
                    + "; a dataset needs at least one feature column");
        }
        DatasetBuilder builder = new DatasetBuilder(limits);
        builder.features(header.size() - 1, "line 1");
        // feature f is the f-th column that is not the label's
        builder.columnNames(f -> featureColumn(f, label, header));
        float[] row = new float[header.size() - 1];
        while (csv.next()) {
            readRow(csv, header, label, row, builder);
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
            builder.problems().add(column("line " + csv.line(), i, header), Names.quote(text)
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
        return "column " + (index + 1) + " (" + Names.quote(header.get(index)) + ")";
    }

    private static String column(String line, int index, List<String> header) {
        return line + ", column " + (index + 1) + " (" + Names.quote(header.get(index)) + ")";
    }

    /**
     * A first line of numbers is data: the header is missing, and taking the line as one would silently lose a
     * row. Whole numbers are accepted as column names ("0,1,...,63,digit"), fractions are not ("5.1,3.5,setosa").
     */
    private static void checkHeaderIsNotData(CsvReader csv, List<String> header) {
        boolean fraction = false;
        for (int i = 0; i < header.size(); i++) {
            boolean number;
            try {
                number = !csv.isBlank(i) && !Double.isNaN(csv.number(i));
            } catch (NumberFormatException e) {
                number = false;
            }
            if (!number && i < header.size() - 1) {
                return;
            }
            if (!number && !fraction) {
                return;
            }
            fraction |= number && !header.get(i).strip().chars().allMatch(Character::isDigit);
        }
        throw Problems.fatal("line 1", "the first line " + Names.quote(String.join(",", header))
                + " looks like data, not a header; add a header row naming the columns (e.g. x1,x2,label)");
    }

    private static int labelIndex(List<String> header, String labelColumn) {
        if (labelColumn == null || labelColumn.isBlank()) {
            return header.size() - 1;
        }
        int index = header.indexOf(labelColumn);
        if (index < 0) {
            List<String> shown = header.size() > 20 ? header.subList(0, 20) : header;
            throw Problems.fatal("label", "there is no column " + Names.quote(labelColumn) + "; the columns are "
                    + String.join(", ", shown) + (header.size() > 20 ? ", ..." : ""));
        }
        if (header.lastIndexOf(labelColumn) != index) {
            throw Problems.fatal("label", "the header has more than one column named " + Names.quote(labelColumn)
                    + "; rename one of them");
        }
        return index;
    }
}
