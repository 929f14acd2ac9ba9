package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.nnserve.model.Models;
import io.nnserve.model.NewModel;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.InvalidInputException.FieldProblem;
import io.nnserve.system.LimitsProperties;
import tools.jackson.databind.json.JsonMapper;

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

    /** The defaults of nnserve.limits.*. */
    private static final LimitsProperties DEFAULTS = new LimitsProperties(67108864L, 268435456L, 1000000, 100000,
            60000000L, 1000, 4096, 10000, 10000000L, 1073741824L, 100000, 100, 64, 64, 1000000);

    /**
     * A job that the memory limit allows but the JVM's heap cannot hold is refused when submitted, saying so: it was
     * accepted, and then failed with an OutOfMemoryError on every attempt.
     */
    @Test
    void aJobOverWhatTheHeapAllowsIsRefusedSayingSo() {
        // about 590 MB of minibatch activations: under the 1 GiB limit, over three quarters of a 384 MiB heap
        TrainRequest request = new TrainRequest("large", null, 0.1, 1000, "softmax", 1.0, "l2", 1e-4, "he", 0.01,
                "adam", 0.01, 0.9, 0.95, 18000, 1, "shuffle", 0, 1L, "standardize", null, "float64");
        TrainRequestValidator smallHeap = new TrainRequestValidator(new FakeDatasets(), NO_MODELS, DEFAULTS, 384L << 20);
        assertThatThrownBy(() -> smallHeap.validate(request)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).problems()).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("hiddenSize");
                    assertThat(p.message()).contains("more than the 288 MiB this instance's heap allows a job")
                            .contains("give the service more memory");
                }));
        TrainRequestValidator largeHeap = new TrainRequestValidator(new FakeDatasets(), NO_MODELS, DEFAULTS, 8L << 30);
        assertThat(largeHeap.validate(request).request().hiddenSize()).isEqualTo(1000);
    }

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

    /**
     * A body with a wrong type and an unknown field is refused with the problems of its other fields too. The field
     * of the wrong type is read as absent, but its default does not stand in for a check: hiddenSize's default, 100,
     * is over this instance's limit, and is not reported for the hiddenSize the client sent as a string.
     */
    @Test
    void typeProblemsComeWithTheOtherFieldsProblems() {
        String body = """
                {"datasetId": "nope", "hiddenSize": "20", "epochs": 0, "loss": "hinge", "learningRate": "a", "foo": 1}
                """;
        assertThatThrownBy(() -> validator.parse(JsonMapper.builder().build().readTree(body)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).problems()).containsExactlyInAnyOrder(
                        new FieldProblem("foo", "unknown field; the fields are " + String.join(", ", TrainRequest.FIELDS)),
                        new FieldProblem("hiddenSize", "must be a whole number"),
                        new FieldProblem("learningRate", "must be a number"),
                        TrainRequestValidator.missingDataset("datasetId", "nope"),
                        new FieldProblem("epochs", "must be between 1 and 10000 (nnserve.limits.max-epochs), got 0"),
                        new FieldProblem("loss", "unknown loss 'hinge'; use one of: softmax, svm")))
                .hasMessage("The training request has 6 problem(s); see 'errors'. Nothing was queued.");
    }

    @Test
    void anUnknownEnumNameIsEchoedCut() {
        TrainRequest request = new TrainRequest("blobs", null, 0.1, 16, "softmax", 1.0, "l2", 1e-4, "he", 0.01,
                "adam", 0.01, 0.9, 0.95, 30, 2, "shuffle", 0, 1L, "y".repeat(100_000), null, "float64");
        assertThatThrownBy(() -> validator.validate(request)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).problems()).containsExactly(new FieldProblem(
                        "preprocessing", "unknown preprocessing '" + "y".repeat(40) + "...'; use none, scale or standardize")));
    }
}
