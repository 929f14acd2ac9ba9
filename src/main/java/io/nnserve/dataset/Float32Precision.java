package io.nnserve.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Datasets are stored, and trained on, as float32 values (about 7 significant digits; whole numbers 0..255 as
 * bytes). That is ample for measured data, but not for a feature whose values vary little around a large
 * magnitude (a timestamp, {@code 1e8 + x}): rounded to float32 its variation can vanish, and a separable problem
 * becomes unlearnable. This follows each feature column while an upload is read, in double, and names the columns
 * whose rounding errors would be more than {@value #MAX_ERROR_SHARE} of their spread, so that the upload is refused
 * with what to do instead of being stored damaged.
 */
final class Float32Precision {

    /** The largest tolerated RMS rounding error, as a share of the column's standard deviation. */
    static final double MAX_ERROR_SHARE = 0.01;

    private long[] count = new long[0];
    private double[] mean = new double[0];
    private double[] squaredDeviations = new double[0];
    private double[] squaredErrors = new double[0];

    /** One value of feature {@code column}, as read (before rounding). */
    void add(int column, double value) {
        if (column >= count.length) {
            int size = Math.max(column + 1, count.length * 2);
            count = Arrays.copyOf(count, size);
            mean = Arrays.copyOf(mean, size);
            squaredDeviations = Arrays.copyOf(squaredDeviations, size);
            squaredErrors = Arrays.copyOf(squaredErrors, size);
        }
        // Welford's update: exact enough for a spread of 1 around 1e8 (double keeps 16 digits)
        long n = ++count[column];
        double delta = value - mean[column];
        mean[column] += delta / n;
        squaredDeviations[column] += delta * (value - mean[column]);
        double error = value - (double) (float) value;
        squaredErrors[column] += error * error;
    }

    /** A column that float32 would damage: its mean and spread, and the rounding error's RMS. */
    record Damaged(int column, double mean, double deviation, double roundingError) {

        String message() {
            return String.format(Locale.ROOT, "its values vary by about %.3g (standard deviation) around %.9g, but"
                    + " datasets are stored as float32, about 7 significant digits: rounding would change them by"
                    + " about %.3g, %.0f%% of their spread. Subtract an offset near %.9g from this column (or"
                    + " rescale it) before uploading", deviation, mean, roundingError,
                    100 * roundingError / deviation, mean);
        }
    }

    /** The columns whose float32 rounding errors exceed {@value #MAX_ERROR_SHARE} of their standard deviation. */
    List<Damaged> damaged() {
        List<Damaged> damaged = new ArrayList<>();
        for (int c = 0; c < count.length; c++) {
            if (count[c] < 2) {
                continue;
            }
            double deviation = Math.sqrt(squaredDeviations[c] / count[c]);
            double error = Math.sqrt(squaredErrors[c] / count[c]);
            if (deviation > 0 && error > MAX_ERROR_SHARE * deviation) {
                damaged.add(new Damaged(c, mean[c], deviation, error));
            }
        }
        return damaged;
    }
}
