package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class DataDirectoryResolverTest {

    @Test
    void aBareRelativeDirectoryBecomesAbsolute() {
        assertThat(DataDirectoryResolver.resolve("nnserve-data"))
                .isEqualTo(Path.of("nnserve-data").toAbsolutePath().normalize().toString());
        assertThat(DataDirectoryResolver.resolve("../elsewhere/data"))
                .isEqualTo(Path.of("../elsewhere/data").toAbsolutePath().normalize().toString());
    }

    @Test
    void whatH2AcceptsIsLeftAlone() {
        assertThat(DataDirectoryResolver.resolve("./data")).isEqualTo("./data");
        assertThat(DataDirectoryResolver.resolve("/var/lib/nnserve")).isEqualTo("/var/lib/nnserve");
        assertThat(DataDirectoryResolver.resolve("~/nnserve")).isEqualTo("~/nnserve");
        assertThat(DataDirectoryResolver.resolve(null)).isNull();
    }

    @Test
    void theEnvironmentSeesTheResolvedDirectoryAndTheDatasourceUrlFollows() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("command line", Map.of(
                "nnserve.storage.data-dir", "nnserve-data",
                "spring.datasource.url", "jdbc:h2:file:${nnserve.storage.data-dir:./data}/nnserve")));
        new DataDirectoryResolver().postProcessEnvironment(environment, new SpringApplication());
        String absolute = Path.of("nnserve-data").toAbsolutePath().normalize().toString();
        assertThat(environment.getProperty("nnserve.storage.data-dir")).isEqualTo(absolute);
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:h2:file:" + absolute + "/nnserve");
    }

    @Test
    void nothingConfiguredAddsNothing() {
        StandardEnvironment environment = new StandardEnvironment();
        int sources = environment.getPropertySources().size();
        new DataDirectoryResolver().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().size()).isEqualTo(sources);
    }
}
