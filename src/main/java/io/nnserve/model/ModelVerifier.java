package io.nnserve.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.nnserve.system.StorageProperties;

/**
 * Checks every stored model's checksum once after start-up, on a background thread (it reads every blob, which
 * must not delay readiness), so that damage done while the service was down shows in readiness before a client
 * meets it. {@code nnserve.storage.verify-models-on-start=false} turns it off.
 */
@Component
class ModelVerifier {

    private static final Logger log = LoggerFactory.getLogger(ModelVerifier.class);

    private final ModelService models;
    private final StorageProperties storage;

    ModelVerifier(ModelService models, StorageProperties storage) {
        this.models = models;
        this.storage = storage;
    }

    @EventListener(ApplicationReadyEvent.class)
    void verifyInBackground() {
        if (!storage.verifyModelsOnStart()) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                int damaged = models.verifyAll();
                if (damaged > 0) {
                    log.error("{} stored model(s) are damaged; see /actuator/health/readiness", damaged);
                }
            } catch (RuntimeException e) {
                log.warn("could not verify stored models: {}", e.getMessage());
            }
        }, "model-verifier");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }
}
