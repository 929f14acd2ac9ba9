package io.nnserve.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nnserve.support.ServiceProcess;

/**
 * A second instance started on the data directory of a running one (the embedded H2 file is one process's at a
 * time): it stops with a short report that says what to do, and the first instance goes on serving.
 */
class SameDataDirectoryTest {

    @Test
    void aSecondInstanceOnTheSameDirectoryStopsWithAReportAndTheFirstServesOn(@TempDir Path dir) {
        List<String> settings = new ArrayList<>(Workloads.queueSettings("10s"));
        settings.add("--nnserve.storage.data-dir=" + dir.resolve("data"));
        try (ServiceProcess first = ServiceProcess.start("first", dir, settings).awaitReady();
             ServiceProcess second = ServiceProcess.start("second", dir, settings)) {
            assertThat(second.awaitExit(ServiceProcess.START_TIMEOUT)).isNotZero();
            assertThat(second.log()).contains("APPLICATION FAILED TO START", "open in another process",
                    "nnserve.storage.data-dir").doesNotContain("\tat org.flywaydb");
            assertThat(first.get("/datasets/iris").statusCode()).isEqualTo(200);
        }
    }
}
