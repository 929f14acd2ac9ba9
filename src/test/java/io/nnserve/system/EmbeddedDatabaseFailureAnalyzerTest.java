package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** H2's own refusals, as a start meets them, turned into a short report. */
class EmbeddedDatabaseFailureAnalyzerTest {

    private final EmbeddedDatabaseFailureAnalyzer analyzer = new EmbeddedDatabaseFailureAnalyzer();

    @Test
    void aDataDirectoryBelowAFileIsNamedWithWhatToDo(@TempDir Path tmp) throws Exception {
        Path file = Files.createFile(tmp.resolve("a-file"));
        SQLException refused = null;
        try (var connection = DriverManager.getConnection("jdbc:h2:file:" + file.resolve("sub/nnserve"), "sa", "")) {
            // not expected to open
        } catch (SQLException e) {
            refused = e;
        }
        assertThat((Object) refused).as("H2 refuses a directory below a regular file").isNotNull();
        FailureAnalysis analysis = analyzer.analyze(new IllegalStateException("Unable to obtain connection", refused));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("cannot be created or written").contains("a-file");
        assertThat(analysis.getAction()).contains("nnserve.storage.data-dir");
    }

    @Test
    void otherErrorsAreLeftToOthers() {
        assertThat(analyzer.analyze(new IllegalStateException(new SQLException("syntax", "42000", 42001)))).isNull();
    }
}
