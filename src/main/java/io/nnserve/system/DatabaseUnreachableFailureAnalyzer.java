package io.nnserve.system;

import java.sql.SQLException;
import java.util.regex.Pattern;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * A start that cannot reach its database (PostgreSQL down, a wrong host or port, a wrong password): the failure
 * surfaces as a hundred and more lines of pool, driver and migration trace. This gives the operator the database's
 * address, the driver's reason and what to check. The password is never shown: the driver's messages do not carry
 * it, and the URL is printed without its query string (where a password may be given). Registered in
 * {@code META-INF/spring.factories}.
 */
class DatabaseUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    /** SQLState classes: 08 connection exception, 28 invalid authorization, 3D the database does not exist. */
    private static final Pattern UNREACHABLE = Pattern.compile("(08|28|3D).*");

    private final Environment environment;

    DatabaseUnreachableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        SQLException reason = deepest(cause);
        boolean unreachable = reason.getSQLState() != null && UNREACHABLE.matcher(reason.getSQLState()).matches()
                || cause instanceof java.sql.SQLTransientConnectionException;
        if (!unreachable) {
            return null;
        }
        String url = environment.getProperty("spring.datasource.url", "(spring.datasource.url not set)");
        int query = url.indexOf('?');
        return new FailureAnalysis("nnserve could not connect to its database at " + (query < 0 ? url : url.substring(0, query))
                + ": " + reason.getMessage(),
                "Check that the database server runs and accepts connections at that address (spring.datasource.url,"
                        + " SPRING_DATASOURCE_URL), that the database exists, and the user and password"
                        + " (spring.datasource.username and password). The service starts once the database answers;"
                        + " an outage after the start is waited out without a restart.", cause);
    }

    /** The innermost SQLException: the driver's own reason, under the pool's wrapping. */
    private static SQLException deepest(SQLException e) {
        SQLException deepest = e;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                deepest = sql;
            }
        }
        return deepest;
    }
}
