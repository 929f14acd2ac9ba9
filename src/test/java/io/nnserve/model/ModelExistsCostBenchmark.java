package io.nnserve.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import io.nnserve.nn.Preprocessing;
import io.nnserve.support.EmbeddedPostgresSupport;

/**
 * What the cross-instance deletion check costs: one primary-key probe ({@link ModelRepository#exists}) through a
 * Hikari pool, on H2 (memory and file, as the service runs it) and on PostgreSQL, against a cache hit without a
 * probe. Not a test: it prints numbers (tag "benchmark", excluded from the build). Run with
 * {@code ./mvnw -B -o test -Dtest=ModelExistsCostBenchmark -Dexcluded.test.groups=none}.
 */
@Tag("benchmark")
class ModelExistsCostBenchmark {

    static final int CALLS = 20_000;

    @Test
    void measure() throws Exception {
        Path dir = Files.createTempDirectory("nnserve-bench");
        report("H2 in memory", pool("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa"));
        report("H2 file, WRITE_DELAY=0", pool("jdbc:h2:file:" + dir.resolve("nnserve")
                + ";WRITE_DELAY=0;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa"));
        report("PostgreSQL 17 (loopback)", pool(EmbeddedPostgresSupport.newDatabaseUrl(), "postgres"));
    }

    static HikariDataSource pool(String url, String user) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword("");
        return pool;
    }

    static void report(String name, HikariDataSource dataSource) {
        try (dataSource) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            ModelRepository repository = new ModelRepository(JdbcClient.create(dataSource));
            ModelService everyRequest = service(dataSource, java.time.Duration.ZERO);
            ModelService cached = service(dataSource, java.time.Duration.ofSeconds(3600));
            String id = everyRequest.register(new NewModel("job", "d", "d", WeightsFormatTest.randomParameters(784, 100, 10, 1),
                    "softmax", Preprocessing.none(784), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                    Map.of(), null, null, 1L, "float64"));
            double probe = perCallMicros(() -> repository.exists(id));
            double hit = perCallMicros(() -> cached.serving(id));
            double checked = perCallMicros(() -> everyRequest.serving(id));
            System.out.printf("%-28s exists() %7.1f us/call | serving(), cached %6.2f us | serving(), probe every call %7.1f us%n",
                    name, probe, hit, checked);
        }
    }

    static ModelService service(DataSource dataSource, java.time.Duration revalidate) {
        return ModelRepositoryContract.service(dataSource,
                new io.nnserve.system.StorageProperties("./data", 8, 1L << 30, revalidate, false, false));
    }

    static double perCallMicros(Runnable call) {
        for (int i = 0; i < CALLS / 4; i++) {
            call.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / 1e3 / CALLS;
    }

}
