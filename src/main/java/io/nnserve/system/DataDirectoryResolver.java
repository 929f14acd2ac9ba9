package io.nnserve.system;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Resolves a relative {@code nnserve.storage.data-dir} against the working directory, as a user who writes
 * {@code NNSERVE_STORAGE_DATA_DIR=nnserve-data} means it. The embedded database's URL is built from that directory,
 * and H2 refuses a file path that is "implicitly relative" ({@code nnserve-data/nnserve} rather than
 * {@code ./nnserve-data/nnserve}): the service would not start. Absolute paths, and the default {@code ./data},
 * are left as they are.
 */
public class DataDirectoryResolver implements EnvironmentPostProcessor {

    static final String PROPERTY = "nnserve.storage.data-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(PROPERTY);
        String resolved = resolve(configured);
        if (resolved != null && !resolved.equals(configured)) {
            environment.getPropertySources().addFirst(new MapPropertySource("nnserve-data-dir", Map.of(PROPERTY, resolved)));
        }
    }

    /** The directory as H2 accepts it: unchanged when absolute or explicitly relative, else made absolute. */
    static String resolve(String configured) {
        if (configured == null || configured.isBlank() || configured.startsWith("./") || configured.startsWith("~")) {
            return configured;
        }
        try {
            Path path = Path.of(configured);
            return path.isAbsolute() ? configured : path.toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            return configured; // left for the database to report
        }
    }
}
