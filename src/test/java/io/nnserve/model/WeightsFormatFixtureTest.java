package io.nnserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

import io.nnserve.model.WeightsFormat.StoredWeights;
import io.nnserve.nn.Preprocessing;
import io.nnserve.nn.TwoLayerNet;

/**
 * Reads model files written by version 1 of the format and committed to the repository (see
 * src/test/resources/models/README.md): whatever the writer becomes, these bytes must keep loading and predicting.
 */
class WeightsFormatFixtureTest {

    @Test
    void readsTheCommittedFloat64ModelOfVersion1() throws Exception {
        StoredWeights stored = WeightsFormat.decode(fixture("model-v1-float64.nnsw"));

        assertThat(stored.elementType()).isEqualTo(WeightsFormat.ElementType.FLOAT64);
        assertThat(stored.parameters().inputSize()).isEqualTo(4);
        assertThat(stored.parameters().hiddenSize()).isEqualTo(3);
        assertThat(stored.parameters().numClasses()).isEqualTo(3);
        for (int i = 0; i < 12; i++) {
            assertThat(stored.parameters().w1()[i]).isEqualTo((i - 6) / 8.0);
        }
        assertThat(stored.parameters().b1()).containsExactly(0.5, -0.25, 0.125);
        for (int i = 0; i < 9; i++) {
            assertThat(stored.parameters().w2()[i]).isEqualTo((i % 5 - 2) / 4.0);
        }
        assertThat(stored.parameters().b2()).containsExactly(0.1, 0.2, 0.3);
        assertThat(stored.preprocessing().kind()).isEqualTo(Preprocessing.Kind.STANDARDIZE);
        assertThat(stored.preprocessing().offset()).containsExactly(5.84, 3.06, 3.76, 1.2);
        assertThat(stored.preprocessing().scale()).containsExactly(0.83, 0.43, 1.76, 0.76);
    }

    @Test
    void theVersion1ModelStillPredictsWhatItDidWhenItWasWritten() throws Exception {
        StoredWeights stored = WeightsFormat.decode(fixture("model-v1-float64.nnsw"));
        ServingModel model = new ServingModel("fixture", TwoLayerNet.of(stored.parameters()), stored.preprocessing(),
                java.util.List.of("setosa", "versicolor", "virginica"), "softmax");

        double[] scores = model.scoresInPlace(new double[] {5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3}, 2);

        // Computed independently (plain Python) when the fixture was written.
        double[] expected = {-0.04576635796552195, 0.12711682101723903, 0.3,
                -0.2423702250305325, 0.12050492361121362, 0.4833800722529597};
        for (int i = 0; i < expected.length; i++) {
            assertThat(scores[i]).isCloseTo(expected[i], within(1e-12));
        }
    }

    @Test
    void readsTheCommittedFloat32ModelOfVersion1() throws Exception {
        StoredWeights stored = WeightsFormat.decode(fixture("model-v1-float32.nnsw"));

        assertThat(stored.elementType()).isEqualTo(WeightsFormat.ElementType.FLOAT32);
        assertThat(stored.parameters().w1()[0]).isEqualTo(-0.75);
        assertThat(stored.parameters().w1()[11]).isEqualTo(0.625);
        assertThat(stored.parameters().b2()).containsExactly(0.125, 0.25, -0.5);
        assertThat(stored.preprocessing()).isEqualTo(Preprocessing.none(4));
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = WeightsFormatFixtureTest.class.getResourceAsStream("/models/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return in.readAllBytes();
        }
    }
}
