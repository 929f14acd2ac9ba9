package io.nnserve.dataset;

import java.util.List;
import java.util.function.IntFunction;

import io.nnserve.system.EchoedText;

/**
 * Assembles a dataset row by row while an upload (JSON or CSV) is read: checks every value, the row lengths and
 * the size limits as it goes, so that an oversized or broken upload stops early and nothing half-checked is ever
 * stored. A row with a bad value is reported and left out; any problem rejects the whole upload at the end.
 */
final class DatasetBuilder {

    private final SizeLimits limits;
    private final Problems problems = new Problems();
    private final LabelCollector labels;
    private final ValueBuffer values = new ValueBuffer();
    private final Float32Precision precision = new Float32Precision();
    /** The feature columns' names when the upload names them (a CSV header); null otherwise. */
    private List<String> featureNames;
    /** How a feature column is named in a problem; a CSV upload names its header's columns. */
    private IntFunction<String> columnName = column -> "features[*][" + column + "]";
    private int features = -1;
    private String firstRowField;
    private int rows;

    DatasetBuilder(SizeLimits limits) {
        this.limits = limits;
        this.labels = new LabelCollector(limits.maxClasses(), problems);
    }

    Problems problems() {
        return problems;
    }

    LabelCollector labels() {
        return labels;
    }

    /** Fixes the number of features before the first row (CSV: from the header). */
    void features(int count, String field) {
        checkFeatureCount(count, field);
        features = count;
    }

    void columnNames(IntFunction<String> names) {
        this.columnName = names;
    }

    /** Follows a feature value as read, before it is rounded to float32 (see {@link Float32Precision}). */
    void track(int column, double value) {
        precision.add(column, value);
    }

    /** Features per row so far: -1 until known. */
    int features() {
        return features;
    }

    /** The largest row this upload may have: reading a longer one stops at once. */
    void checkFeatureCount(int count, String field) {
        if (count > limits.maxFeatures()) {
            throw Problems.limit(field, "the number of features (" + count + ")", limits.maxFeatures(), "max-features");
        }
    }

    /**
     * Checks one value; a non-finite value or one outside the float32 range is recorded as a problem.
     *
     * @return whether the value can be stored
     */
    boolean checkValue(double value, String text, String field) {
        if (Double.isNaN(value) || Double.isInfinite(value) && Decimal.isNonFiniteWord(text)) {
            problems.add(field, EchoedText.quote(text)
                    + " is not a finite number; every feature must be a finite number");
            return false;
        }
        if (Math.abs(value) > Float.MAX_VALUE) {
            problems.add(field, EchoedText.quote(text) + " is outside the range of float32 (about ±3.4e38)");
            return false;
        }
        return true;
    }

    /**
     * Adds one row of {@code count} values (already checked when {@code valid}); a row whose length differs from
     * the first row's is reported as ragged.
     */
    void addRow(float[] row, int count, boolean valid, String field) {
        addRejectedRow(field);
        if (count == 0) {
            problems.add(field, "the row is empty; every row needs at least one feature value");
            return;
        }
        if (features < 0) {
            checkFeatureCount(count, field);
            features = count;
            firstRowField = field;
        } else if (count != features) {
            problems.add(field, "the row has " + count + " values but " + (firstRowField == null ? "the header has "
                    : firstRowField + " has ") + features + "; every row needs the same number of features");
            return;
        }
        if ((long) rows * features > limits.maxDatasetValues()) {
            throw Problems.limit(field, "the number of values (rows x features = " + rows + " x " + features + ")",
                    limits.maxDatasetValues(), "max-dataset-values");
        }
        if (valid) {
            values.addAll(row, 0, count);
        }
    }

    /** Counts a row that was reported as a problem already (not an array, wrong number of fields). */
    void addRejectedRow(String field) {
        rows++;
        if (rows > limits.maxRows()) {
            throw Problems.limit(field, "the number of rows", limits.maxRows(), "max-rows");
        }
    }

    /** Rows read so far, including rejected ones. */
    int rows() {
        return rows;
    }

    /** The feature columns' names in order, for an upload that names them (a CSV header). */
    void featureNames(List<String> names) {
        this.featureNames = List.copyOf(names);
    }

    /** The finished dataset; throws InvalidInputException listing every problem found. */
    NewDataset build(String name, List<String> classNames, boolean labelNamesMayBeNumbers) {
        Names.checkDatasetName(name, problems);
        if (rows == 0) {
            problems.add("features", "the dataset has no rows; send at least one row per class");
            problems.throwIfAny();
        }
        if (labels.size() != rows) {
            problems.add("labels", "there are " + labels.size() + " labels for " + rows + " rows; every row needs exactly one label");
        }
        LabelCollector.Resolved resolved = labels.resolve(classNames, labelNamesMayBeNumbers);
        for (Float32Precision.Damaged damaged : precision.damaged()) {
            problems.add(columnName.apply(damaged.column()), damaged.message());
        }
        problems.throwIfAny();
        return new NewDataset(name.strip(), rows, features, List.copyOf(resolved.classNames()), values.encoded(),
                resolved.labels(), featureNames);
    }
}
