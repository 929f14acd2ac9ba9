package io.nnserve.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

class EmbeddedPostgresSupportTest {

    @Test
    void eachCallerGetsItsOwnEmptyDatabaseOnARealPostgres() throws Exception {
        DataSource first = EmbeddedPostgresSupport.newDatabase();
        DataSource second = EmbeddedPostgresSupport.newDatabase();
        try (Connection c = first.getConnection()) {
            c.createStatement().execute("CREATE TABLE t (x INTEGER)");
            ResultSet version = c.createStatement().executeQuery("SHOW server_version");
            version.next();
            assertThat(version.getString(1)).startsWith("17.");
        }
        try (Connection c = second.getConnection()) {
            ResultSet tables = c.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 't'");
            tables.next();
            assertThat(tables.getInt(1)).isZero();
        }
    }
}
