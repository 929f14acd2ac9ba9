package io.nnserve.training;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import io.nnserve.dataset.DatasetSummary;
import io.nnserve.dataset.Datasets;
import io.nnserve.nn.Samples;
import io.nnserve.system.NotFoundException;

/**
 * Datasets for the training tests, without the dataset feature's storage: {@code blobs} (300 rows of 4 features
 * in 3 well separated gaussian classes) and {@code large} (20,000 x 32, 4 classes: long jobs to cancel or
 * interrupt). Spring tests upload the same samples through {@code POST /datasets} ({@link #csv}).
 */
class FakeDatasets implements Datasets {

    private final Map<String, LoadedDataset> data = new ConcurrentHashMap<>();
    /** Failures the next loads throw, one each (the database going away while a job loads its data, no memory left). */
    final java.util.Queue<Throwable> nextLoadFailures = new java.util.concurrent.ConcurrentLinkedQueue<>();

    FakeDatasets() {
        add("blobs", blobs(300, 4, 3, 1));
        add("large", blobs(20_000, 32, 4, 2));
    }

    void add(String id, Samples samples) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < samples.classes(); c++) {
            names.add("class-" + c);
        }
        data.put(id, new LoadedDataset(new DatasetSummary(id, id, samples.rows(), samples.features(), samples.classes(),
                names, null, Instant.now()), samples));
    }

    void remove(String id) {
        data.remove(id);
    }

    @Override
    public Optional<DatasetSummary> find(String id) {
        return Optional.ofNullable(data.get(id)).map(LoadedDataset::summary);
    }

    /** In memory there is nothing to lock: the dataset exists or not. */
    @Override
    public boolean lockAgainstDeletion(String id) {
        return data.containsKey(id);
    }

    @Override
    public LoadedDataset load(String id) {
        Throwable failure = nextLoadFailures.poll();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        LoadedDataset d = data.get(id);
        if (d == null) {
            throw new NotFoundException("dataset", id);
        }
        return d;
    }

    /** Gaussian classes around random centres, far enough apart to be learnt in a few epochs. */
    static Samples blobs(int rows, int features, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] centres = new double[classes][features];
        for (double[] centre : centres) {
            for (int j = 0; j < features; j++) {
                centre[j] = random.nextDouble(-5, 5);
            }
        }
        float[] values = new float[rows * features];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < features; j++) {
                values[i * features + j] = (float) (centres[labels[i]][j] + gaussian(random));
            }
        }
        return new Samples(rows, features, classes, values, labels);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** The samples as a CSV upload: a header row, the features, the class index last. */
    static String csv(Samples samples) {
        StringBuilder csv = new StringBuilder(samples.rows() * samples.features() * 8);
        for (int j = 0; j < samples.features(); j++) {
            csv.append('f').append(j).append(',');
        }
        csv.append("label\n");
        for (int i = 0; i < samples.rows(); i++) {
            for (int j = 0; j < samples.features(); j++) {
                csv.append(samples.value(i, j)).append(',');
            }
            csv.append(samples.labels()[i]).append('\n');
        }
        return csv.toString();
    }
}
