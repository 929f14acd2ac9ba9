package io.nnserve.model;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code models} table (V2__models.sql). Weights are read only when a model is loaded or verified. */
@Repository
class ModelRepository {

    private static final String COLUMNS = "id, job_id, dataset_id, dataset_name, input_size, hidden_size, num_classes,"
            + " loss, preprocessing, class_names, hyperparameters, train_accuracy, val_accuracy, seed,"
            + " training_precision, created_at";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** Metadata JSON is ours alone: a plain mapper keeps it independent of the web layer's settings. */
    private final JsonMapper json = JsonMapper.shared();
    private final JdbcClient jdbc;

    ModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ModelInfo m, byte[] weights) {
        jdbc.sql("INSERT INTO models (" + COLUMNS + ", weights) VALUES (:id, :jobId, :datasetId, :datasetName,"
                        + " :inputSize, :hiddenSize, :numClasses, :loss, :preprocessing, :classNames, :hyperparameters,"
                        + " :trainAccuracy, :valAccuracy, :seed, :precision, :createdAt, :weights)")
                .param("id", m.id())
                .param("jobId", m.jobId())
                .param("datasetId", m.datasetId())
                .param("datasetName", m.datasetName())
                .param("inputSize", m.inputSize())
                .param("hiddenSize", m.hiddenSize())
                .param("numClasses", m.numClasses())
                .param("loss", m.loss())
                .param("preprocessing", m.preprocessing())
                .param("classNames", json.writeValueAsString(m.classNames()))
                .param("hyperparameters", m.hyperparameters() == null ? null : json.writeValueAsString(m.hyperparameters()))
                .param("trainAccuracy", m.trainAccuracy())
                .param("valAccuracy", m.valAccuracy())
                .param("seed", m.seed())
                .param("precision", m.precision())
                .param("createdAt", OffsetDateTime.ofInstant(m.createdAt(), ZoneOffset.UTC))
                .param("weights", weights)
                .update();
    }

    List<ModelInfo> list(int limit, int offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .param("limit", limit)
                .param("offset", offset)
                .query(this::info)
                .list();
    }

    Optional<ModelInfo> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE id = :id").param("id", id).query(this::info).optional();
    }

    Optional<byte[]> weights(String id) {
        return jdbc.sql("SELECT weights FROM models WHERE id = :id").param("id", id)
                .query((rs, row) -> rs.getBytes(1)).optional();
    }

    /** The cheap question a cache asks to learn that another instance deleted a model: one primary-key probe. */
    boolean exists(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM models WHERE id = :id").param("id", id).query(Integer.class).single() > 0;
    }

    List<String> ids() {
        return jdbc.sql("SELECT id FROM models ORDER BY created_at").query(String.class).list();
    }

    /**
     * Locks the model's row until the caller's transaction ends; false when there is none. Queuing a job that starts
     * from the model and deleting it both take this lock first, so whichever comes second waits for the other's
     * commit and then sees it (FOR UPDATE on both sides: H2 has no FOR SHARE).
     */
    boolean lock(String id) {
        return jdbc.sql("SELECT id FROM models WHERE id = :id FOR UPDATE").param("id", id).query(String.class)
                .optional().isPresent();
    }

    boolean delete(String id) {
        return jdbc.sql("DELETE FROM models WHERE id = :id").param("id", id).update() > 0;
    }

    private ModelInfo info(ResultSet rs, int row) throws SQLException {
        int d = rs.getInt("input_size");
        int h = rs.getInt("hidden_size");
        int c = rs.getInt("num_classes");
        String hyperparameters = rs.getString("hyperparameters");
        return new ModelInfo(rs.getString("id"), d + "-" + h + "-" + c, d, h, c, rs.getString("loss"),
                rs.getString("preprocessing"), json.readValue(rs.getString("class_names"), STRINGS),
                rs.getString("dataset_id"), rs.getString("dataset_name"), rs.getString("job_id"),
                rs.getObject("seed", Long.class), rs.getString("training_precision"),
                rs.getObject("train_accuracy", Double.class), rs.getObject("val_accuracy", Double.class),
                hyperparameters == null ? null : json.readValue(hyperparameters, OBJECT),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    /** Timestamps as both databases keep them (microseconds), so what register returns equals what is read back. */
    static Instant now() {
        Instant now = Instant.now();
        return now.minusNanos(now.getNano() % 1000);
    }
}
