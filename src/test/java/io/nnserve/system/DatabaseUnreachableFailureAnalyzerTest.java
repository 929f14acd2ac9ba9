package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class DatabaseUnreachableFailureAnalyzerTest {

    private final DatabaseUnreachableFailureAnalyzer analyzer = new DatabaseUnreachableFailureAnalyzer(
            new MockEnvironment().withProperty("spring.datasource.url",
                    "jdbc:postgresql://db.internal:5432/nnserve?user=nnserve&password=hunter2"));

    @Test
    void aDatabaseThatCannotBeReachedIsNamedWithTheDriversReasonAndNoPassword() {
        Exception startFailure = new IllegalStateException("Failed to initialize Flyway",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available", "08001",
                        new SQLException("Connection to db.internal:5432 refused.", "08001")));
        FailureAnalysis analysis = analyzer.analyze(startFailure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("jdbc:postgresql://db.internal:5432/nnserve")
                .contains("Connection to db.internal:5432 refused.").doesNotContain("hunter2");
        assertThat(analysis.getAction()).contains("spring.datasource.url");

        FailureAnalysis password = analyzer.analyze(new IllegalStateException(
                new SQLException("FATAL: password authentication failed for user \"nnserve\"", "28P01")));
        assertThat(password.getDescription()).contains("password authentication failed");
    }

    @Test
    void otherDatabaseErrorsAreLeftToOthers() {
        assertThat(analyzer.analyze(new IllegalStateException(new SQLException("syntax error", "42601")))).isNull();
        assertThat(analyzer.analyze(new IllegalStateException("no SQL at all"))).isNull();
    }
}
