package io.nnserve.nn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.ojalgo.matrix.store.R064Store;

/** Test data: the shipped CSV files, random stores, and splits. */
final class TestData {

    private TestData() {
    }

    /** A CSV resource with a header row and the label (a class name or index) in the last column. */
    static Samples csv(String resource) {
        try (InputStream raw = TestData.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = reader.readLine();
            int features = header.split(",").length - 1;
            List<float[]> rows = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            Map<String, Integer> classes = new LinkedHashMap<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                float[] row = new float[features];
                for (int j = 0; j < features; j++) {
                    row[j] = Float.parseFloat(cells[j]);
                }
                rows.add(row);
                labels.add(classes.computeIfAbsent(cells[features].trim(), k -> classes.size()));
            }
            float[] values = new float[rows.size() * features];
            int[] y = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, values, i * features, features);
                y[i] = labels.get(i);
            }
            return new Samples(rows.size(), features, classes.size(), values, y);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits the rows at random (fixed seed): the first part holds {@code 1 - heldOut} of them. */
    static Samples[] split(Samples all, double heldOut, long seed) {
        int[] order = new int[all.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        new SplitMix64(seed).shuffle(order);
        int test = (int) Math.round(all.rows() * heldOut);
        int[] trainRows = java.util.Arrays.copyOfRange(order, test, order.length);
        int[] testRows = java.util.Arrays.copyOfRange(order, 0, test);
        return new Samples[] {all.select(trainRows), all.select(testRows)};
    }

    /** Rows x cols of {@code scale·N(0,1)}. */
    static R064Store gaussian(int rows, int cols, double scale, SplitMix64 rng) {
        R064Store s = R064Store.FACTORY.make(rows, cols);
        for (int k = 0; k < s.data.length; k++) {
            s.data[k] = scale * rng.nextGaussian();
        }
        return s;
    }

    /** Gaussian samples with random labels. */
    static Samples randomSamples(int rows, int features, int classes, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        float[] values = new float[rows * features];
        int[] labels = new int[rows];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < rows; i++) {
            labels[i] = rng.nextInt(classes);
        }
        labels[0] = 0;
        labels[1] = classes - 1;
        return new Samples(rows, features, classes, values, labels);
    }

    /** The fraction of rows the network classifies correctly (through the public scores path). */
    static double accuracy(TwoLayerNet net, Samples samples, Preprocessing preprocessing) {
        double[] x = new double[samples.rows() * samples.features()];
        double[] raw = new double[samples.features()];
        for (int i = 0; i < samples.rows(); i++) {
            for (int j = 0; j < raw.length; j++) {
                raw[j] = samples.value(i, j);
            }
            preprocessing.apply(raw, 0, x, i * raw.length);
        }
        double[] scores = net.scores(x, samples.rows());
        int c = net.numClasses();
        int hits = 0;
        for (int i = 0; i < samples.rows(); i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (scores[i * c + j] > scores[i * c + best]) {
                    best = j;
                }
            }
            if (best == samples.labels()[i]) {
                hits++;
            }
        }
        return (double) hits / samples.rows();
    }
}
