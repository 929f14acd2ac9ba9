package io.nnserve.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** One embedded PostgreSQL server for the training tests of this JVM, and a fresh database in it per caller. */
final class EmbeddedPostgresDatabases {

    private static EmbeddedPostgres server;
    private static final AtomicInteger count = new AtomicInteger();

    private EmbeddedPostgresDatabases() {
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
                    // the JVM is exiting; nothing else to release
                }
            }));
        }
        return server;
    }

    static String newDatabase() {
        String name = "jobs_test_" + count.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return name;
    }

    static DataSource newDataSource() {
        return server().getDatabase("postgres", newDatabase());
    }
}
