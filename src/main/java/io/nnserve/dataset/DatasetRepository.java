package io.nnserve.dataset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import io.nnserve.nn.Samples;
import tools.jackson.databind.json.JsonMapper;

/**
 * Datasets in the database: a summary row, the class names, and the values and labels as BYTEA chunks of about
 * 1 MiB. Chunks are written and read one at a time, so neither storing nor loading a large dataset holds more
 * than the dataset itself and one chunk.
 */
@Repository
class DatasetRepository {

    private static final String VALUES = "values";
    private static final String LABELS = "labels";
    private static final int LABELS_PER_CHUNK = ValueType.CHUNK_BYTES / Integer.BYTES;

    /** Feature names are stored as a JSON array: any name a CSV header can hold, commas and quotes included. */
    private static final JsonMapper NAMES = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    DatasetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores a dataset in one transaction: either all of it is visible, or none. The summary row goes first, so
     * that a second writer of the same id (two instances registering a built-in sample) fails at once with a
     * DuplicateKeyException instead of after writing its chunks.
     */
    @Transactional
    public DatasetSummary insert(String id, NewDataset dataset, Instant createdAt) {
        jdbc.sql("INSERT INTO datasets (id, name, row_count, feature_count, class_count, value_type, created_at,"
                        + " feature_names) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, dataset.name(), dataset.rows(), dataset.features(), dataset.classNames().size(),
                        dataset.values().type().dbName(), OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC),
                        dataset.featureNames() == null ? null : NAMES.writeValueAsString(dataset.featureNames()))
                .update();
        // chunks of an earlier dataset with this id whose purge a crash interrupted (built-in ids are reused)
        jdbc.sql("DELETE FROM dataset_chunks WHERE dataset_id = ?").param(id).update();
        for (int i = 0; i < dataset.classNames().size(); i++) {
            jdbc.sql("INSERT INTO dataset_classes (dataset_id, class_index, name) VALUES (?, ?, ?)")
                    .params(id, i, dataset.classNames().get(i)).update();
        }
        int seq = 0;
        for (byte[] chunk : dataset.values()) {
            insertChunk(id, VALUES, seq++, chunk);
        }
        int[] labels = dataset.labels();
        for (int from = 0, s = 0; from < labels.length; from += LABELS_PER_CHUNK, s++) {
            int count = Math.min(LABELS_PER_CHUNK, labels.length - from);
            byte[] chunk = new byte[count * Integer.BYTES];
            ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(labels, from, count);
            insertChunk(id, LABELS, s, chunk);
        }
        return new DatasetSummary(id, dataset.name(), dataset.rows(), dataset.features(), dataset.classNames().size(),
                dataset.classNames(), dataset.featureNames(), createdAt);
    }

    private void insertChunk(String id, String part, int seq, byte[] data) {
        jdbc.sql("INSERT INTO dataset_chunks (dataset_id, part, seq, data) VALUES (?, ?, ?, ?)")
                .params(id, part, seq, data).update();
    }

    public boolean exists(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM datasets WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    @Transactional(readOnly = true)
    public List<DatasetSummary> findAll() {
        Map<String, List<String>> classes = new HashMap<>();
        jdbc.sql("SELECT dataset_id, name FROM dataset_classes ORDER BY dataset_id, class_index")
                .query(rs -> {
                    classes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                });
        return jdbc.sql("SELECT id, name, row_count, feature_count, class_count, feature_names, created_at FROM datasets"
                        + " ORDER BY created_at, id")
                .query((rs, n) -> summary(rs, classes.getOrDefault(rs.getString("id"), List.of())))
                .list();
    }

    @Transactional(readOnly = true)
    public Optional<DatasetSummary> find(String id) {
        return findStored(id).map(StoredRow::summary);
    }

    /**
     * The dataset's summary and samples, decoded chunk by chunk into the engine's arrays; empty when there is no
     * such dataset (also when it is deleted while being read).
     */
    @Transactional(readOnly = true)
    public Optional<Datasets.LoadedDataset> load(String id) {
        Optional<StoredRow> row = findStored(id);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        DatasetSummary summary = row.get().summary();
        ValueType type = row.get().type();
        int size = Math.multiplyExact(summary.rows(), summary.features());
        // bytes stay bytes in memory too (a quarter of the floats' size): the engine gathers from either
        byte[] bytes = type == ValueType.UINT8 ? new byte[size] : null;
        float[] floats = bytes == null ? new float[size] : null;
        int offset = 0;
        for (int seq = 0; offset < size; seq++) {
            Optional<byte[]> chunk = chunk(id, VALUES, seq);
            if (chunk.isEmpty()) {
                return Optional.empty();
            }
            offset += bytes != null ? type.decode(chunk.get(), bytes, offset) : type.decode(chunk.get(), floats, offset);
        }
        int[] labels = new int[summary.rows()];
        for (int seq = 0, from = 0; from < labels.length; seq++) {
            Optional<byte[]> chunk = chunk(id, LABELS, seq);
            if (chunk.isEmpty()) {
                return Optional.empty();
            }
            int count = chunk.get().length / Integer.BYTES;
            ByteBuffer.wrap(chunk.get()).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(labels, from, count);
            from += count;
        }
        Samples samples = bytes != null
                ? Samples.ofUnsignedBytes(summary.rows(), summary.features(), summary.classes(), bytes, labels)
                : new Samples(summary.rows(), summary.features(), summary.classes(), floats, labels);
        return Optional.of(new Datasets.LoadedDataset(summary, samples));
    }

    /**
     * Rows {@code [from, to)} of a dataset (the caller keeps them within its rows), read from only the chunks that
     * hold them: a row of a 60,000-image dataset costs one or two chunks, not the whole dataset. Empty when there
     * is no such dataset (also when it is deleted while being read).
     */
    @Transactional(readOnly = true)
    public Optional<DatasetRows> rows(String id, int from, int to) {
        Optional<StoredRow> row = findStored(id);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        DatasetSummary summary = row.get().summary();
        ValueType type = row.get().type();
        int features = summary.features();
        float[] values = new float[Math.multiplyExact(to - from, features)];
        long first = (long) from * features;
        long end = (long) to * features;
        int perChunk = type.valuesPerChunk();
        float[] decoded = null;
        for (long at = first; at < end; ) {
            int seq = (int) (at / perChunk);
            Optional<byte[]> chunk = chunk(id, VALUES, seq);
            if (chunk.isEmpty()) {
                return Optional.empty();
            }
            if (decoded == null) {
                decoded = new float[perChunk];
            }
            int count = type.decode(chunk.get(), decoded, 0);
            int start = (int) (at - (long) seq * perChunk);
            int n = (int) Math.min(count - start, end - at);
            if (n <= 0) {
                throw new IllegalStateException("dataset " + id + " has fewer values than its rows declare");
            }
            System.arraycopy(decoded, start, values, (int) (at - first), n);
            at += n;
        }
        int[] labels = new int[to - from];
        for (int at = from; at < to; ) {
            int seq = at / LABELS_PER_CHUNK;
            Optional<byte[]> stored = chunk(id, LABELS, seq);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            ByteBuffer chunk = ByteBuffer.wrap(stored.get()).order(ByteOrder.LITTLE_ENDIAN);
            int start = at - seq * LABELS_PER_CHUNK;
            int n = Math.min(chunk.capacity() / Integer.BYTES - start, to - at);
            chunk.position(start * Integer.BYTES);
            chunk.asIntBuffer().get(labels, at - from, n);
            at += n;
        }
        return Optional.of(new DatasetRows(summary, from, values, labels));
    }

    private Optional<byte[]> chunk(String id, String part, int seq) {
        return jdbc.sql("SELECT data FROM dataset_chunks WHERE dataset_id = ? AND part = ? AND seq = ?")
                .params(id, part, seq)
                .query((rs, n) -> rs.getBytes(1))
                .optional();
    }

    /**
     * Locks the dataset's summary row until the caller's transaction ends; false when there is no such dataset.
     * Queuing a job and deleting the dataset both take this lock first, so whichever comes second waits for the
     * other's commit and then sees it. FOR UPDATE on both sides because H2 has no FOR SHARE; submissions are
     * serialised by the admission lock anyway, so it costs them nothing.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean lock(String id) {
        return jdbc.sql("SELECT id FROM datasets WHERE id = ? FOR UPDATE").param(id).query(String.class).optional()
                .isPresent();
    }

    /**
     * Removes the dataset's summary and class names in one transaction: from then on it does not exist for any
     * instance. Its chunks are removed afterwards by {@link #purgeChunks}. False when there was no such dataset.
     */
    @Transactional
    public boolean deleteSummary(String id) {
        jdbc.sql("DELETE FROM dataset_classes WHERE dataset_id = ?").param(id).update();
        return jdbc.sql("DELETE FROM datasets WHERE id = ?").param(id).update() > 0;
    }

    /** Deletes a deleted dataset's chunks, one per transaction (fast on H2, where one big delete is slow). */
    public void purgeChunks(String id) {
        List<ChunkKey> keys = jdbc.sql("SELECT part, seq FROM dataset_chunks WHERE dataset_id = ?").param(id)
                .query((rs, n) -> new ChunkKey(rs.getString(1), rs.getInt(2))).list();
        for (ChunkKey key : keys) {
            jdbc.sql("DELETE FROM dataset_chunks WHERE dataset_id = ? AND part = ? AND seq = ?")
                    .params(id, key.part(), key.seq()).update();
        }
    }

    /** Purges the chunks of datasets whose deletion was interrupted; returns how many datasets they belonged to. */
    public int purgeOrphanChunks() {
        List<String> orphans = jdbc.sql("SELECT DISTINCT c.dataset_id FROM dataset_chunks c"
                        + " WHERE NOT EXISTS (SELECT 1 FROM datasets d WHERE d.id = c.dataset_id)")
                .query(String.class).list();
        orphans.forEach(this::purgeChunks);
        return orphans.size();
    }

    private record ChunkKey(String part, int seq) {
    }

    private record StoredRow(DatasetSummary summary, ValueType type) {
    }

    private Optional<StoredRow> findStored(String id) {
        List<String> classNames = jdbc.sql("SELECT name FROM dataset_classes WHERE dataset_id = ? ORDER BY class_index")
                .param(id).query(String.class).list();
        return jdbc.sql("SELECT id, name, row_count, feature_count, class_count, value_type, feature_names, created_at"
                        + " FROM datasets WHERE id = ?")
                .param(id)
                .query((rs, n) -> new StoredRow(summary(rs, classNames), ValueType.fromDb(rs.getString("value_type"))))
                .optional();
    }

    private static DatasetSummary summary(ResultSet rs, List<String> classNames) throws SQLException {
        String featureNames = rs.getString("feature_names");
        return new DatasetSummary(rs.getString("id"), rs.getString("name"), rs.getInt("row_count"),
                rs.getInt("feature_count"), rs.getInt("class_count"), List.copyOf(classNames),
                featureNames == null ? null : List.of(NAMES.readValue(featureNames, String[].class)),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}