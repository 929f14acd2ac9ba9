package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.nnserve.model.Models;
import io.nnserve.model.NewModel;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.LimitsProperties;

/** The request checks that depend on this instance's limits, on an instance whose limits are lowered. */
class TrainRequestValidatorTest {

    private static final Models NO_MODELS = new Models() {
        @Override
        public String register(NewModel model) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Trained> trained(String modelId) {
            return Optional.empty();
        }

        @Override
        public boolean lockAgainstDeletion(String modelId) {
            return false;
        }
    };

    /** The defaults, but hidden layers of at most 16 units. */
    private static final LimitsProperties SMALL_HIDDEN = new LimitsProperties(67108864L, 268435456L, 1000000, 100000,
            60000000L, 1000, 16, 10000, 10000000L, 1073741824L, 100000, 100, 64, 64, 1000000);

    private final TrainRequestValidator validator = new TrainRequestValidator(new FakeDatasets(), NO_MODELS,
            SMALL_HIDDEN);

    @Test
    void aDefaultOverALoweredLimitIsNamedAsTheDefault() {
        TrainRequest request = new TrainRequest("blobs", null, 0.1, null, "softmax", 1.0, "l2", 1e-4,
                "he", 0.01, "adam", 0.01, 0.9, 0.95, 30, 2, "shuffle", 0, 1L, "standardize", null, "float64");
        assertThatThrownBy(() -> validator.validate(request)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).isEqualTo("the default, 100, is over this instance's"
                                + " limit of 16 (nnserve.limits.max-hidden-size); send a hiddenSize between 1 and 16")));
    }

    @Test
    void aSentHiddenSizeOverTheLimitIsNamedAsSent() {
        TrainRequest request = QueueFixture.request("blobs", 2, 30, 1); // hiddenSize 16: within
        assertThat(validator.validate(request).request().hiddenSize()).isEqualTo(16);
        TrainRequest tooLarge = new TrainRequest("blobs", null, 0.1, 17, "softmax", 1.0, "l2", 1e-4, "he", 0.01,
                "adam", 0.01, 0.9, 0.95, 30, 2, "shuffle", 0, 1L, "standardize", null, "float64");
        assertThatThrownBy(() -> validator.validate(tooLarge)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).problems().get(0).message())
                        .isEqualTo("must be between 1 and 16 (nnserve.limits.max-hidden-size), got 17"));
    }
}
