package io.nnserve.nn;

import java.util.Arrays;
import java.util.Locale;

/**
 * A per-feature affine map fitted on the training split and stored with the model: a raw row x is fed to the
 * network as {@code (x - offset) / scale}. Fitting on training data only keeps validation honest; storing it with
 * the model means clients always send raw feature values.
 */
public record Preprocessing(Kind kind, double[] offset, double[] scale) {

    public enum Kind {
        /** Features go in as they are. */
        NONE,
        /** Divide by the training maximum of |x| per feature, so non-negative features land in [0, 1]. */
        SCALE,
        /** Subtract the training mean and divide by the training standard deviation, per feature. */
        STANDARDIZE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String name) {
            for (Kind kind : values()) {
                if (kind.wireName().equalsIgnoreCase(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown preprocessing '" + name + "'; use none, scale or standardize");
        }
    }

    public Preprocessing {
        if (kind == null || offset == null || scale == null || offset.length != scale.length || offset.length == 0) {
            throw new IllegalArgumentException("preprocessing needs a kind and offset/scale arrays of one length per feature");
        }
        for (int j = 0; j < scale.length; j++) {
            if (!Double.isFinite(offset[j]) || !Double.isFinite(scale[j]) || scale[j] == 0.0) {
                throw new IllegalArgumentException("preprocessing of feature " + j + " must have a finite offset and a finite, non-zero scale");
            }
        }
    }

    /** The identity map for {@code features} inputs. */
    public static Preprocessing none(int features) {
        double[] ones = new double[features];
        Arrays.fill(ones, 1.0);
        return new Preprocessing(Kind.NONE, new double[features], ones);
    }

    /**
     * Fits the map on the given rows. A constant feature gets scale 1 (it carries no information, and dividing by
     * zero would turn it into NaN).
     */
    public static Preprocessing fit(Kind kind, Samples data) {
        int d = data.features();
        int n = data.rows();
        double[] offset = new double[d];
        double[] scale = new double[d];
        Arrays.fill(scale, 1.0);
        double[] row = new double[d];
        switch (kind) {
            case NONE -> {
            }
            case SCALE -> {
                double[] max = new double[d];
                for (int i = 0; i < n; i++) {
                    data.copyRow(i, row);
                    for (int j = 0; j < d; j++) {
                        max[j] = Math.max(max[j], Math.abs(row[j]));
                    }
                }
                for (int j = 0; j < d; j++) {
                    scale[j] = max[j] > 0.0 ? max[j] : 1.0;
                }
            }
            case STANDARDIZE -> {
                double[] mean = new double[d];
                double[] min = new double[d];
                double[] max = new double[d];
                Arrays.fill(min, Double.POSITIVE_INFINITY);
                Arrays.fill(max, Double.NEGATIVE_INFINITY);
                for (int i = 0; i < n; i++) {
                    data.copyRow(i, row);
                    for (int j = 0; j < d; j++) {
                        mean[j] += row[j];
                        min[j] = Math.min(min[j], row[j]);
                        max[j] = Math.max(max[j], row[j]);
                    }
                }
                // Deviations are summed relative to the column's largest one, so that neither a spread of 1e-40
                // nor one of 1e38 under- or overflows the squares; a column is constant only when all its values
                // are equal (an absolute threshold on the spread would also take features that merely have small
                // units for constants, and throw them away).
                double[] largest = new double[d];
                for (int j = 0; j < d; j++) {
                    mean[j] /= n;
                    largest[j] = Math.max(max[j] - mean[j], mean[j] - min[j]);
                }
                double[] sum = new double[d];
                for (int i = 0; i < n; i++) {
                    data.copyRow(i, row);
                    for (int j = 0; j < d; j++) {
                        if (largest[j] > 0.0) {
                            double relative = (row[j] - mean[j]) / largest[j];
                            sum[j] += relative * relative;
                        }
                    }
                }
                for (int j = 0; j < d; j++) {
                    boolean constant = min[j] == max[j];
                    // a constant column becomes exactly 0: its value is the offset, and the scale leaves it alone
                    offset[j] = constant ? min[j] : mean[j];
                    scale[j] = constant || largest[j] == 0.0 ? 1.0 : largest[j] * Math.sqrt(sum[j] / n);
                }
            }
        }
        return new Preprocessing(kind, offset, scale);
    }

    public int features() {
        return offset.length;
    }

    /** Writes the transformed {@code source} row into {@code target} at {@code targetOffset}. */
    public void apply(double[] source, int sourceOffset, double[] target, int targetOffset) {
        for (int j = 0; j < offset.length; j++) {
            target[targetOffset + j] = (source[sourceOffset + j] - offset[j]) / scale[j];
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Preprocessing p && p.kind == kind && Arrays.equals(p.offset, offset)
                && Arrays.equals(p.scale, scale);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "Preprocessing[" + kind.wireName() + ", " + offset.length + " features]";
    }
}
