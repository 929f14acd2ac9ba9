package io.nnserve.system;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the engine computes ({@code nnserve.engine.*}).
 *
 * @param kernel  {@code auto} (the default: {@code vector} where the CPU has a fused multiply-add, else
 *                {@code ojalgo}), {@code vector} (our JDK Vector API kernel) or {@code ojalgo} (ojAlgo's own
 *                multiply, the checked fallback)
 * @param warmUp  compile the vector kernels in the background right after start-up, so the first job and the first
 *                predictions do not run interpreted vector code (a few seconds of one low-priority thread, once)
 */
@Validated
@ConfigurationProperties("nnserve.engine")
public record EngineProperties(
        // checked when bound, so that a wrong name stops the start with a one-line report, not a bean's stack trace
        @DefaultValue("auto") @Pattern(regexp = "(?i)auto|vector|ojalgo", message = "must be auto, vector or ojalgo")
        String kernel,
        @DefaultValue("true") boolean warmUp) {
}
