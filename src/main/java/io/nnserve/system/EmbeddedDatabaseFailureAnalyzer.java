package io.nnserve.system;

import java.sql.SQLException;
import java.util.Set;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.NestedExceptionUtils;

/**
 * The embedded H2 database cannot be opened in the data directory: another process has it open (a second instance
 * on the same directory), or the directory cannot be created or written (a path below a regular file, a directory
 * of another user). The start fails deep in the database migration; this gives the operator the short report and the
 * way out instead of a hundred lines and more of stack trace. Registered in {@code META-INF/spring.factories}.
 */
class EmbeddedDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    /** H2's error code for a database file that another process has open ("Database may be already in use"). */
    static final int H2_DATABASE_ALREADY_OPEN = 90020;
    /** H2's codes for files it cannot create, open or write: IO_EXCEPTION_1 and _2, FILE_CREATION_FAILED_1, and the
     * same for its log (trace) file. */
    static final Set<Integer> H2_FILE_ERRORS = Set.of(90028, 90031, 90062, 90034);

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        if (cause.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
            return new FailureAnalysis("The embedded database in the data directory (nnserve.storage.data-dir) is open in"
                    + " another process: most likely another nnserve instance started from the same directory.",
                    "Stop the other instance, or give this one a data directory of its own (nnserve.storage.data-dir, or"
                            + " NNSERVE_STORAGE_DATA_DIR). For several instances that share datasets, jobs and models, use"
                            + " PostgreSQL (README, Crashes, restarts and several instances).", cause);
        }
        if (H2_FILE_ERRORS.contains(cause.getErrorCode())) {
            return new FailureAnalysis("The embedded database cannot be created or written in the data directory"
                    + " (nnserve.storage.data-dir): " + innermost(cause) + ".",
                    "Point nnserve.storage.data-dir (NNSERVE_STORAGE_DATA_DIR) at a directory this user can create and"
                            + " write, on a disk with free space; it holds the database file and the instance-id.", cause);
        }
        return null;
    }

    /** The innermost reason ("java.nio.file.NotDirectoryException: /srv/data"), without H2's wrapping. */
    private static String innermost(SQLException e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        return root == e ? String.valueOf(e.getMessage()) : root.toString();
    }
}
