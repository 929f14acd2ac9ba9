package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/** The guard in front of the pool: fails at once while the database is away, lets one attempt through per interval. */
class FailFastDataSourceTest {

    /** A pool whose database is up or away; counts the attempts that reach it. */
    static class Pool implements DataSource {
        volatile boolean up = true;
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public Connection getConnection() throws SQLException {
            attempts.incrementAndGet();
            if (!up) {
                throw new SQLTransientConnectionException("HikariPool-1 - Connection is not available", "08001");
            }
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> null);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    private final Pool pool = new Pool();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final FailFastDataSource guard = new FailFastDataSource(pool, 1000, now::get);

    @Test
    void whileTheDatabaseIsAwayOnlyOneAttemptPerIntervalReachesThePool() throws SQLException {
        assertThat(guard.getConnection()).isNotNull();
        pool.up = false;
        assertThatThrownBy(guard::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("Connection is not available");
        int reached = pool.attempts.get();
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(guard::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("The database is unavailable")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
        }
        assertThat(pool.attempts.get()).as("refused without waiting on the pool").isEqualTo(reached);

        now.addAndGet(1_000_000_000L);
        assertThatThrownBy(guard::getConnection).hasMessageContaining("Connection is not available");
        assertThat(pool.attempts.get()).as("one attempt after the interval").isEqualTo(reached + 1);
        assertThatThrownBy(guard::getConnection).hasMessageContaining("The database is unavailable");

        pool.up = true;
        assertThatThrownBy(guard::getConnection).as("still within the interval").hasMessageContaining("unavailable");
        now.addAndGet(1_000_000_000L);
        assertThat(guard.getConnection()).isNotNull();
        for (int i = 0; i < 5; i++) {
            assertThat(guard.getConnection()).as("the guard is closed again").isNotNull();
        }
    }

    @Test
    void aRefusedLoginIsNotAnOutage() throws SQLException {
        DataSource badPassword = new Pool() {
            @Override
            public Connection getConnection() throws SQLException {
                attempts.incrementAndGet();
                throw new SQLException("password authentication failed", "28P01");
            }
        };
        FailFastDataSource guarded = new FailFastDataSource(badPassword, 1000, now::get);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(guarded::getConnection).hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void closingTheGuardClosesThePool() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        final class ClosablePool extends Pool implements AutoCloseable {
            @Override
            public void close() {
                closed.incrementAndGet();
            }
        }
        new FailFastDataSource(new ClosablePool(), 1000, now::get).close();
        assertThat(closed.get()).isEqualTo(1);
    }
}
