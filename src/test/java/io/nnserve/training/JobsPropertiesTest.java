package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Test;

/** Settings that would stop or break training are refused at start-up, with the property they concern. */
class JobsPropertiesTest {

    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    private static JobsProperties with(Duration poll, Duration lease, Duration heartbeat) {
        return new JobsProperties(true, 1, poll, lease, heartbeat, Duration.ofSeconds(2), Duration.ofSeconds(10), 3,
                Duration.ofSeconds(20), Duration.ofSeconds(30), "", Duration.ofSeconds(15));
    }

    private Set<String> refused(JobsProperties properties) {
        return validator.validate(properties).stream().map(ConstraintViolation::getPropertyPath)
                .map(Object::toString).collect(Collectors.toSet());
    }

    @Test
    void theDefaultsPass() {
        assertThat(refused(with(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5)))).isEmpty();
    }

    /** A negative poll interval killed the worker thread; 0 made it wait forever (Object.wait(0)). */
    @Test
    void aPollIntervalOfZeroOrLessIsRefused() {
        assertThat(refused(with(Duration.ofSeconds(-1), Duration.ofSeconds(30), Duration.ofSeconds(5))))
                .containsExactly("pollInterval");
        assertThat(refused(with(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(5))))
                .containsExactly("pollInterval");
    }

    /** A lease shorter than two heartbeats was taken from healthy workers until the job FAILED. */
    @Test
    void aLeaseThatEndsBetweenHeartbeatsIsRefused() {
        assertThat(refused(with(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5))))
                .containsExactly("leaseDurationOutlivesHeartbeats");
        // "30" without a unit is 30 ms
        assertThat(refused(with(Duration.ofSeconds(1), Duration.ofMillis(30), Duration.ofSeconds(5))))
                .contains("leaseDuration", "leaseDurationOutlivesHeartbeats");
        assertThat(refused(with(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO)))
                .contains("heartbeatInterval");
    }
}
