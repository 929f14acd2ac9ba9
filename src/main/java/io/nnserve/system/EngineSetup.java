package io.nnserve.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.nnserve.nn.EngineKernel;

/**
 * Applies {@link EngineProperties} to the engine, which knows nothing of Spring: the kernel is chosen while the
 * context starts (an unknown name stops the start with the engine's message), the warm-up once the service is ready.
 */
@Component
class EngineSetup {

    private static final Logger log = LoggerFactory.getLogger(EngineSetup.class);

    private final EngineProperties properties;

    EngineSetup(EngineProperties properties) {
        this.properties = properties;
        EngineKernel.use(properties.kernel());
        if (EngineKernel.hardwareFma()) {
            log.info("engine kernel: {}", EngineKernel.current());
        } else {
            log.warn("engine kernel: {}: this CPU (or this JVM's options) has no fused multiply-add, and the vector "
                    + "kernel would compute every one of them in software; training and predictions run slower",
                    EngineKernel.current());
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (properties.warmUp() && EngineKernel.VECTOR.equals(EngineKernel.current())) {
            EngineKernel.warmUpInBackground(done -> {
                if (done.stoppedEarly()) {
                    log.info("engine warm-up stopped by a training job after {} ms ({} training runs)", done.millis(),
                            done.trainingRuns());
                } else {
                    log.info("engine warm-up done in {} ms", done.millis());
                }
            });
        }
    }
}
