package io.nnserve.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.nnserve.system.StorageProperties;

/**
 * The name this instance writes into the leases it takes. It survives restarts (kept in the data directory's
 * {@code instance-id} file unless {@code nnserve.jobs.instance-id} sets it), so an instance that crashed and starts
 * again recognises its own abandoned jobs and queues them at once instead of waiting for their leases to end.
 * Each instance needs its own: its own data directory, or its own {@code nnserve.jobs.instance-id}.
 */
@Component
class InstanceId {

    private static final Logger log = LoggerFactory.getLogger(InstanceId.class);
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String value;

    InstanceId(JobsProperties properties, StorageProperties storage) {
        this.value = properties.instanceId().isEmpty()
                ? fromDataDirectory(Path.of(storage.dataDir()))
                : properties.instanceId();
        log.info("job worker instance id: {}", value);
    }

    String value() {
        return value;
    }

    private static String fromDataDirectory(Path dataDir) {
        Path file = dataDir.resolve("instance-id");
        try {
            if (Files.isRegularFile(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (VALID.matcher(stored).matches()) {
                    return stored;
                }
                log.warn("{} does not hold a valid instance id; writing a new one", file);
            }
            Files.createDirectories(dataDir);
            String created = "nnserve-" + UUID.randomUUID().toString().substring(0, 8);
            Files.writeString(file, created + "\n", StandardCharsets.UTF_8);
            return created;
        } catch (IOException e) {
            String transientId = "nnserve-" + UUID.randomUUID().toString().substring(0, 8);
            log.warn("cannot keep an instance id in {} ({}); using {} for this run only, so jobs abandoned by a crash "
                    + "wait for their leases to end", file, e.getMessage(), transientId);
            return transientId;
        }
    }
}
