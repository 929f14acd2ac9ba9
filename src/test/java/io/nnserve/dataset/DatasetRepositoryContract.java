package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.nnserve.nn.Samples;

/**
 * What the dataset storage must do on every database it runs on (H2 and PostgreSQL run these same tests):
 * store and load exactly, in chunks, list, delete without leftovers, refuse a second writer of an id.
 */
abstract class DatasetRepositoryContract {

    @Autowired
    DatasetRepository repository;

    @Autowired
    DatasetService service;

    @Autowired
    JdbcClient jdbc;

    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.123456Z");

    static NewDataset floats(int rows, int features, int classes, long seed) {
        Random random = new Random(seed);
        ValueBuffer values = new ValueBuffer();
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < features; j++) {
                values.add((float) random.nextGaussian());
            }
            labels[i] = i % classes;
        }
        List<String> columns = new ArrayList<>();
        for (int j = 0; j < features; j++) {
            columns.add("x" + j + (j == 0 ? ", \"quoted\"" : ""));
        }
        return new NewDataset("floats", rows, features, names(classes), values.encoded(), labels, columns);
    }

    static NewDataset bytes(int rows, int features, int classes) {
        byte[] pixels = new byte[rows * features];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31);
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = (i * 7) % classes;
        }
        return new NewDataset("bytes", rows, features, names(classes), EncodedValues.ofUnsignedBytes(pixels), labels,
                null);
    }

    private static List<String> names(int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add("class " + i);
        }
        return names;
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private long chunks(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM dataset_chunks WHERE dataset_id = ?").param(id).query(Long.class).single();
    }

    @Test
    void float32ValuesRoundTripExactlyAcrossChunks() {
        NewDataset dataset = floats(700, 1000, 3, 1); // 700,000 floats: 3 chunks of 262,144
        float[] expected = ParsedData.values(dataset);
        String id = newId();
        DatasetSummary summary = repository.insert(id, dataset, CREATED);
        assertThat(chunks(id)).isEqualTo(3 + 1);

        Datasets.LoadedDataset loaded = repository.load(id).orElseThrow();
        assertThat(loaded.summary()).isEqualTo(summary);
        assertThat(loaded.summary().createdAt()).isEqualTo(CREATED);
        Samples samples = loaded.samples();
        assertThat(samples.rows()).isEqualTo(700);
        assertThat(samples.features()).isEqualTo(1000);
        assertThat(samples.classes()).isEqualTo(3);
        assertThat(samples.unsignedBytes()).isFalse();
        assertThat(ParsedData.values(samples)).isEqualTo(expected);
        assertThat(samples.labels()).isEqualTo(dataset.labels());
    }

    @Test
    void unsignedBytesAndLabelsRoundTripAcrossChunks() {
        NewDataset dataset = bytes(300_000, 4, 10); // 1.2M bytes: 2 value chunks; 300,000 labels: 2 label chunks
        String id = newId();
        repository.insert(id, dataset, CREATED);
        assertThat(chunks(id)).isEqualTo(2 + 2);
        Samples samples = repository.load(id).orElseThrow().samples();
        assertThat(samples.unsignedBytes()).as("held as bytes in memory too").isTrue();
        assertThat(ParsedData.values(samples)).isEqualTo(ParsedData.values(dataset));
        assertThat(samples.value(299_999, 3)).isEqualTo((float) ((1_199_999 * 31) & 0xFF));
        assertThat(samples.labels()).isEqualTo(dataset.labels());
    }

    @Test
    void listsAndFindsWithClassNamesInOrder() {
        String id = newId();
        repository.insert(id, bytes(10, 2, 3), Instant.now().truncatedTo(ChronoUnit.MICROS));
        assertThat(repository.find(id)).hasValueSatisfying(s -> {
            assertThat(s.classNames()).containsExactly("class 0", "class 1", "class 2");
            assertThat(s.classes()).isEqualTo(3);
            assertThat(s.rows()).isEqualTo(10);
        });
        List<DatasetSummary> all = repository.findAll();
        assertThat(all).extracting(DatasetSummary::id).contains("iris", "digits", id);
        assertThat(all).extracting(DatasetSummary::createdAt).isSorted();
        assertThat(all).filteredOn(s -> s.id().equals(id)).singleElement()
                .satisfies(s -> assertThat(s.classNames()).containsExactly("class 0", "class 1", "class 2"));
        assertThat(repository.find("nothing")).isEmpty();
        assertThat(repository.load("nothing")).isEmpty();
    }

    @Test
    void featureNamesAreKeptInOrderWhenTheUploadNamedThem() {
        NewDataset named = floats(3, 4, 2, 1);
        assertThat(repository.insert("named", named, CREATED).featureNames()).isEqualTo(named.featureNames());
        assertThat(repository.find("named").orElseThrow().featureNames()).isEqualTo(named.featureNames());
        repository.insert("unnamed", bytes(3, 4, 2), CREATED);
        assertThat(repository.find("unnamed").orElseThrow().featureNames()).isNull();
        assertThat(repository.findAll()).filteredOn(d -> d.id().equals("named")).singleElement()
                .satisfies(d -> assertThat(d.featureNames()).isEqualTo(named.featureNames()));
    }

    @Test
    void deleteRemovesEverything() {
        String id = newId();
        repository.insert(id, bytes(10, 2, 3), CREATED);
        assertThat(repository.exists(id)).isTrue();
        assertThat(repository.deleteSummary(id)).isTrue();
        assertThat(repository.exists(id)).isFalse();
        assertThat(repository.load(id)).isEmpty();
        assertThat(chunks(id)).isEqualTo(2);
        repository.purgeChunks(id);
        assertThat(chunks(id)).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset_classes WHERE dataset_id = ?").param(id).query(Long.class).single())
                .isZero();
        assertThat(repository.deleteSummary(id)).isFalse();
    }

    @Test
    void chunksLeftByAnInterruptedDeleteArePurgedAndDoNotBlockTheId() {
        String id = newId();
        repository.insert(id, bytes(10, 2, 3), CREATED);
        repository.deleteSummary(id); // "crash" before the chunks were purged
        assertThat(chunks(id)).isEqualTo(2);
        repository.insert(id, floats(5, 3, 2, 3), CREATED); // the id is reused (as built-in ids are)
        assertThat(repository.load(id).orElseThrow().samples().rows()).isEqualTo(5);
        repository.deleteSummary(id);
        assertThat(repository.purgeOrphanChunks()).isGreaterThanOrEqualTo(1);
        assertThat(chunks(id)).isZero();
    }

    @Test
    void aDatasetWhoseChunksVanishWhileLoadingIsNotFound() {
        String id = newId();
        repository.insert(id, bytes(10, 2, 3), CREATED);
        jdbc.sql("DELETE FROM dataset_chunks WHERE dataset_id = ? AND part = 'labels'").param(id).update();
        assertThat(repository.load(id)).isEmpty();
    }

    @Test
    void aSecondWriterOfAnIdFailsAndLeavesTheFirstIntact() {
        String id = newId();
        repository.insert(id, bytes(10, 2, 3), CREATED);
        assertThatThrownBy(() -> repository.insert(id, floats(20, 3, 2, 2), CREATED))
                .isInstanceOf(DuplicateKeyException.class);
        Samples samples = repository.load(id).orElseThrow().samples();
        assertThat(samples.rows()).isEqualTo(10);
        assertThat(chunks(id)).isEqualTo(2);
    }

    @Test
    void builtInSamplesArePresentAndCorrect() {
        Datasets.LoadedDataset iris = service.load("iris");
        assertThat(iris.summary().classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(iris.samples().rows()).isEqualTo(150);
        assertThat(iris.samples().value(0, 0)).isEqualTo(5.1f);
        Datasets.LoadedDataset digits = service.load("digits");
        assertThat(digits.summary().classNames()).hasSize(10).startsWith("0", "1");
        assertThat(digits.samples().features()).isEqualTo(64);
    }

    @Test
    void concurrentSampleRegistrationStoresOneCopy() throws Exception {
        repository.deleteSummary("iris");
        repository.purgeChunks("iris");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    service.registerSample("iris", "/samples/iris.csv");
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM datasets WHERE id = 'iris'").query(Long.class).single()).isOne();
        assertThat(service.load("iris").samples().rows()).isEqualTo(150);
    }
}
