package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures are the database being away (a 503 the client retries) rather than a fault of ours (a 500). */
class DatabaseUnavailableTest {

    @Test
    void aConnectionLostUnderACommitOrRollbackIsTheDatabaseBeingAway() {
        // Hikari's closed connection says so without an SQLState
        assertThat(ProblemHandler.isDatabaseUnavailable(
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed")))).isTrue();
        assertThat(ProblemHandler.isDatabaseUnavailable(new CannotCreateTransactionException("Could not open JDBC Connection",
                new SQLException("Connection refused", "08001")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(ProblemHandler.isDatabaseUnavailable(new TransactionSystemException("no SQL underneath"))).isFalse();
        assertThat(ProblemHandler.isDatabaseUnavailable(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(ProblemHandler.isDatabaseUnavailable(new IllegalStateException("bug"))).isFalse();
    }
}
