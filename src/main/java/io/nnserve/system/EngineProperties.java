package io.nnserve.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the engine computes ({@code nnserve.engine.*}).
 *
 * @param kernel  {@code vector} (our JDK Vector API kernel, the default) or {@code ojalgo} (ojAlgo's own multiply,
 *                the checked fallback)
 * @param warmUp  compile the vector kernels in the background right after start-up, so the first job and the first
 *                predictions do not run interpreted vector code (a few seconds of one low-priority thread, once)
 */
@ConfigurationProperties("nnserve.engine")
public record EngineProperties(@DefaultValue("vector") String kernel, @DefaultValue("true") boolean warmUp) {
}
