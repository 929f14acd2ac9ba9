package io.nnserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Preprocessing;
import io.nnserve.system.ConflictException;
import io.nnserve.system.LimitsProperties;
import io.nnserve.system.NotFoundException;
import io.nnserve.system.StorageProperties;

/**
 * The models table and its repository, run by a subclass per database (H2 and a real PostgreSQL): the migration
 * must run unchanged on both and every query must mean the same on both.
 */
abstract class ModelRepositoryContract {

    DataSource dataSource;
    JdbcClient jdbc;
    ModelRepository repository;

    abstract DataSource newDataSource();

    @BeforeEach
    void migrate() {
        dataSource = newDataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        repository = new ModelRepository(jdbc);
    }

    static ModelInfo info(String id, String jobId, Instant createdAt) {
        return new ModelInfo(id, "4-3-3", 4, 3, 3, "softmax", "standardize", List.of("setosa", "versicolor", "virginica"),
                "iris", "Iris (Fisher)", jobId, 42L, "float64", 0.97, 0.95,
                Map.of("hiddenSize", 3, "learningRate", 0.001, "loss", "softmax"), createdAt);
    }

    static byte[] weights(long seed) {
        NetworkParameters p = WeightsFormatTest.randomParameters(4, 3, 3, seed);
        return WeightsFormat.encode(p, WeightsFormatTest.standardize(4, seed), WeightsFormat.ElementType.FLOAT64);
    }

    @Test
    void insertedModelsReadBackFieldForField() {
        Instant created = ModelRepository.now();
        ModelInfo model = info("m-1", "job-1", created);
        byte[] bytes = weights(1);

        repository.insert(model, bytes);

        assertThat(repository.find("m-1")).contains(model);
        assertThat(repository.weights("m-1")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
        assertThat(repository.exists("m-1")).isTrue();
        assertThat(repository.exists("m-2")).isFalse();
        assertThat(repository.find("m-2")).isEmpty();
        assertThat(repository.weights("m-2")).isEmpty();
    }

    @Test
    void nullMetadataOfAnImportedModelReadsBackAsNull() {
        ModelInfo imported = new ModelInfo("m-imp", "2-2-2", 2, 2, 2, "svm", "none", List.of("a", "b"), null, null,
                null, null, "float64", null, null, null, ModelRepository.now());

        repository.insert(imported, weights(2));

        assertThat(repository.find("m-imp")).contains(imported);
    }

    @Test
    void listIsNewestFirstAndPaged() {
        Instant t = ModelRepository.now().truncatedTo(ChronoUnit.SECONDS);
        repository.insert(info("old", "j1", t.minusSeconds(20)), weights(1));
        repository.insert(info("new", "j3", t), weights(3));
        repository.insert(info("mid", "j2", t.minusSeconds(10)), weights(2));

        assertThat(repository.list(10, 0)).extracting(ModelInfo::id).containsExactly("new", "mid", "old");
        assertThat(repository.list(2, 1)).extracting(ModelInfo::id).containsExactly("mid", "old");
        assertThat(repository.ids()).containsExactly("old", "mid", "new");
    }

    @Test
    void deleteRemovesOnceAndOnlyThatModel() {
        repository.insert(info("a", "j1", ModelRepository.now()), weights(1));
        repository.insert(info("b", "j2", ModelRepository.now()), weights(2));

        assertThat(repository.delete("a")).isTrue();
        assertThat(repository.delete("a")).isFalse();
        assertThat(repository.exists("a")).isFalse();
        assertThat(repository.exists("b")).isTrue();
    }

    @Test
    void aJobCanNeverHaveTwoModels() {
        repository.insert(info("first", "job-x", ModelRepository.now()), weights(1));

        assertThatThrownBy(() -> repository.insert(info("second", "job-x", ModelRepository.now()), weights(2)))
                .isInstanceOf(DuplicateKeyException.class);
        repository.insert(new ModelInfo("imported-1", "4-3-3", 4, 3, 3, "softmax", "none", List.of("a", "b", "c"),
                null, null, null, null, "float64", null, null, null, ModelRepository.now()), weights(3));
        repository.insert(new ModelInfo("imported-2", "4-3-3", 4, 3, 3, "softmax", "none", List.of("a", "b", "c"),
                null, null, null, null, "float64", null, null, null, ModelRepository.now()), weights(4));
        assertThat(repository.list(10, 0)).hasSize(3);
    }

    @Test
    void registerJoinsTheCallersTransaction() {
        ModelService service = service(dataSource, storage());
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        NewModel model = new NewModel("job-tx", "iris", "Iris", WeightsFormatTest.randomParameters(4, 3, 3, 5),
                "softmax", Preprocessing.none(4), List.of("a", "b", "c"), Map.of(), 0.9, 0.8, 1L, "float64");

        String rolledBack = tx.execute(status -> {
            String id = service.register(model);
            assertThat(repository.exists(id)).as("visible inside the transaction").isTrue();
            status.setRollbackOnly();
            return id;
        });
        String committed = tx.execute(status -> service.register(model));

        assertThat(repository.exists(rolledBack)).isFalse();
        assertThat(repository.exists(committed)).isTrue();
        assertThat(service.parameters(committed)).contains(model.parameters());
    }

    @Test
    void aModelDeletedOnOneInstanceStopsBeingServedByAnother() {
        StorageProperties checkEveryRequest = new StorageProperties("./data", 8, 1L << 30, java.time.Duration.ZERO, false, false);
        ModelService a = service(dataSource, checkEveryRequest);
        ModelService b = service(dataSource, checkEveryRequest);
        String id = a.register(new NewModel("job-two", "iris", "Iris", WeightsFormatTest.randomParameters(4, 3, 3, 6),
                "softmax", Preprocessing.none(4), List.of("a", "b", "c"), Map.of(), 0.9, 0.8, 1L, "float64"));
        assertThat(b.serving(id).id()).as("B serves A's model").isEqualTo(id);

        a.delete(id);

        assertThatThrownBy(() -> b.serving(id)).isInstanceOf(NotFoundException.class);
        assertThat(b.parameters(id)).isEmpty();
    }

    @Test
    void largeWeightsSurviveTheRoundTrip() {
        NetworkParameters p = WeightsFormatTest.randomParameters(784, 100, 10, 7);
        byte[] bytes = WeightsFormat.encode(p, Preprocessing.none(784), WeightsFormat.ElementType.FLOAT64);

        repository.insert(info("big", "j-big", ModelRepository.now()), bytes);

        assertThat(repository.weights("big")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
    }

    @Test
    void aModelInUseIsNotDeleted() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        ModelService service = new ModelService(repository, storage(), limits(), new DamagedModels(),
                beans.getBeanProvider(ModelUsage.class), new DataSourceTransactionManager(dataSource));
        String id = service.register(new NewModel("job-used", "iris", "Iris", WeightsFormatTest.randomParameters(4, 3, 3, 8),
                "softmax", Preprocessing.none(4), List.of("a", "b", "c"), Map.of(), 0.9, 0.8, 1L, "float64"));
        beans.addBean("usage", (ModelUsage) modelId -> modelId.equals(id) ? "job 1234 (queued or running) starts from it." : null);

        assertThatThrownBy(() -> service.delete(id))
                .isInstanceOf(ConflictException.class)
                .hasMessage("Model '" + id + "' cannot be deleted: job 1234 (queued or running) starts from it.");
        assertThat(repository.exists(id)).isTrue();
        assertThat(service.parameters(id)).isPresent();

        beans.addBean("usage", (ModelUsage) modelId -> null);
        service.delete(id);
        assertThat(repository.exists(id)).isFalse();
        assertThatThrownBy(() -> service.delete(id)).isInstanceOf(NotFoundException.class);
    }

    /** The registry on the given database as the service wires it, with no feature that uses models. */
    static ModelService service(DataSource dataSource, StorageProperties storage) {
        return new ModelService(new ModelRepository(JdbcClient.create(dataSource)), storage, limits(),
                new DamagedModels(), new StaticListableBeanFactory().getBeanProvider(ModelUsage.class),
                new DataSourceTransactionManager(dataSource));
    }

    static StorageProperties storage() {
        return new StorageProperties("./data", 8, 1L << 30, java.time.Duration.ofSeconds(1), false, false);
    }

    static LimitsProperties limits() {
        return new LimitsProperties(67108864L, 268435456L, 1000000, 100000, 60000000L, 1000, 4096, 10000, 10000000L,
                1073741824L, 100000, 100, 64, 64, 1000000);
    }
}
