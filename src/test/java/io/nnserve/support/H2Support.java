package io.nnserve.support;

import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/**
 * A fresh in-memory H2 for repository tests without Spring, in the mode the service runs it (PostgreSQL mode,
 * lower-case names, nulls sorted last), so queries behave as they do in production on the embedded default.
 */
public final class H2Support {

    private H2Support() {
    }

    /** A new, empty database; {@code name} only labels it in error messages. */
    public static DataSource newDatabase(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + "-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        h2.setUser("sa");
        return h2;
    }
}
