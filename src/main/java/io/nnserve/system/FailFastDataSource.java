package io.nnserve.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Answers at once while the database is known to be away. Without it every request that needs the database holds
 * one of the few request threads for the pool's whole connection timeout (5 s): a dozen such requests during an
 * outage kept the liveness probe and predictions from cached models waiting as long, and a probe that times out
 * restarts a healthy instance. After a connection attempt fails for want of the database, the next ones fail at once
 * ({@link SQLTransientConnectionException}, SQLState 08001: a 503 like the timeout's), except one attempt at a time,
 * at most every {@code retryMillis}, that goes to the pool and closes the guard when it succeeds.
 */
final class FailFastDataSource extends DelegatingDataSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FailFastDataSource.class);

    private final long retryNanos;
    private final LongSupplier clock;
    /** 0 while the database answers; else when the last attempt through to the pool started. */
    private volatile long openSince;
    private final AtomicBoolean probing = new AtomicBoolean();

    FailFastDataSource(DataSource target, long retryMillis, LongSupplier nanoClock) {
        super(target);
        this.retryNanos = retryMillis * 1_000_000L;
        this.clock = nanoClock;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return guarded(() -> super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return guarded(() -> super.getConnection(username, password));
    }

    private interface Attempt {
        Connection connect() throws SQLException;
    }

    private Connection guarded(Attempt attempt) throws SQLException {
        long since = openSince;
        if (since == 0) {
            return through(attempt, false);
        }
        // away: one caller at a time tries again, once the retry interval has passed; the others do not wait
        if (clock.getAsLong() - since >= retryNanos && probing.compareAndSet(false, true)) {
            try {
                openSince = clock.getAsLong();
                return through(attempt, true);
            } finally {
                probing.set(false);
            }
        }
        throw new SQLTransientConnectionException("The database is unavailable (the last attempt to connect failed;"
                + " trying again at most every " + retryNanos / 1_000_000 + " ms).", "08001");
    }

    private Connection through(Attempt attempt, boolean probe) throws SQLException {
        try {
            Connection connection = attempt.connect();
            if (probe) {
                openSince = 0;
                log.info("database available again: connections are no longer refused at once");
            }
            return connection;
        } catch (SQLException e) {
            if (isUnavailable(e) && openSince == 0) {
                openSince = clock.getAsLong();
                log.warn("database unavailable ({}): requests that need it fail at once until a connection succeeds",
                        e.getMessage());
            }
            throw e;
        }
    }

    /**
     * A connection that could not be had at all (pool timeout, refused, unreachable), not a refused login: the same
     * judgement as the 503 the request then gets ({@link ProblemHandler#isDatabaseUnavailable}).
     */
    static boolean isUnavailable(SQLException e) {
        return ProblemHandler.isDatabaseUnavailable(e);
    }

    /** Closes the pool with the application context (Spring calls this as the bean's destroy method). */
    @Override
    public void close() throws Exception {
        if (getTargetDataSource() instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
