package io.nnserve.system;

import java.sql.SQLException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A second instance started on the data directory of a running one: the embedded H2 database is a file one process
 * opens at a time, and the start fails deep in the database migration. This gives the operator the short report and
 * the way out instead of a hundred lines of stack trace. Registered in {@code META-INF/spring.factories}.
 */
class DatabaseInUseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    /** H2's error code for a database file that another process has open ("Database may be already in use"). */
    static final int H2_DATABASE_ALREADY_OPEN = 90020;

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        if (cause.getErrorCode() != H2_DATABASE_ALREADY_OPEN) {
            return null;
        }
        return new FailureAnalysis("The embedded database in the data directory (nnserve.storage.data-dir) is open in"
                + " another process: most likely another nnserve instance started from the same directory.",
                "Stop the other instance, or give this one a data directory of its own (nnserve.storage.data-dir, or"
                        + " NNSERVE_STORAGE_DATA_DIR). For several instances that share datasets, jobs and models, use"
                        + " PostgreSQL (README, Crashes, restarts and several instances).", cause);
    }
}
