package io.nnserve.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the engine computes ({@code nnserve.engine.*}).
 *
 * @param kernel  {@code auto} (the default: {@code vector} where the CPU has a fused multiply-add, else
 *                {@code ojalgo}), {@code vector} (our JDK Vector API kernel) or {@code ojalgo} (ojAlgo's own
 *                multiply, the checked fallback)
 * @param warmUp  compile the vector kernels in the background right after start-up, so the first job and the first
 *                predictions do not run interpreted vector code (a few seconds of one low-priority thread, once)
 */
@ConfigurationProperties("nnserve.engine")
public record EngineProperties(@DefaultValue("auto") String kernel, @DefaultValue("true") boolean warmUp) {
}
