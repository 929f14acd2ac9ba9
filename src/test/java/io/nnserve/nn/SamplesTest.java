package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void unsignedBytesReadAsZeroTo255() {
        byte[] values = {0, 1, (byte) 128, (byte) 255, 7, (byte) 200};
        Samples s = Samples.ofUnsignedBytes(2, 3, 2, values, new int[] {0, 1});
        assertThat(s.unsignedBytes()).isTrue();
        assertThat(s.value(0, 2)).isEqualTo(128f);
        assertThat(s.value(1, 0)).isEqualTo(255f);
        assertThat(s.value(1, 2)).isEqualTo(200f);
    }

    @Test
    void selectIsAViewInTheGivenOrderAndComposes() {
        Samples all = TestData.randomSamples(10, 4, 3, 1);
        Samples picked = all.select(new int[] {7, 2, 2, 9});
        assertThat(picked.rows()).isEqualTo(4);
        assertThat(picked.labels()).containsExactly(all.labels()[7], all.labels()[2], all.labels()[2], all.labels()[9]);
        for (int j = 0; j < 4; j++) {
            assertThat(picked.value(0, j)).isEqualTo(all.value(7, j));
            assertThat(picked.value(3, j)).isEqualTo(all.value(9, j));
        }
        Samples again = picked.select(new int[] {3, 0});
        for (int j = 0; j < 4; j++) {
            assertThat(again.value(0, j)).isEqualTo(all.value(9, j));
            assertThat(again.value(1, j)).isEqualTo(all.value(7, j));
        }
        assertThat(again.labels()).containsExactly(all.labels()[9], all.labels()[7]);
    }

    @Test
    void selectRefusesRowsOutsideTheDataset() {
        Samples all = TestData.randomSamples(10, 4, 3, 1);
        assertThatThrownBy(() -> all.select(new int[] {0, 10})).isInstanceOf(IndexOutOfBoundsException.class);
        Samples view = all.select(new int[] {1, 2});
        assertThatThrownBy(() -> view.select(new int[] {2})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void refusesValuesThatDoNotMatchTheShape() {
        assertThatThrownBy(() -> Samples.ofUnsignedBytes(2, 3, 2, new byte[5], new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 6");
        assertThatThrownBy(() -> new Samples(2, 3, 2, new float[6], new int[] {0, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 0..1");
    }

    /**
     * The same pixels held as bytes or as floats, split into train and validation views, train to the same weights
     * bit for bit in both precisions: the byte gather computes exactly what the float gather does.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void bytesTrainExactlyAsTheSameValuesAsFloats(Precision precision) {
        int rows = 150;
        int features = 37; // not a multiple of any vector width: the gather's tail runs too
        SplitMix64 rng = new SplitMix64(11);
        byte[] pixels = new byte[rows * features];
        float[] floats = new float[rows * features];
        int[] labels = new int[rows];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) rng.nextInt(256);
            floats[k] = pixels[k] & 0xFF;
        }
        for (int i = 0; i < rows; i++) {
            labels[i] = rng.nextInt(3);
        }
        Samples asBytes = Samples.ofUnsignedBytes(rows, features, 3, pixels, labels.clone());
        Samples asFloats = new Samples(rows, features, 3, floats, labels.clone());
        int[] trainRows = IntStream.range(0, 120).map(i -> (i * 7) % rows).toArray();
        int[] validationRows = IntStream.range(120, rows).toArray();
        Preprocessing pre = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, asFloats.select(trainRows));
        assertThat(Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, asBytes.select(trainRows)).offset())
                .containsExactly(pre.offset());

        SolverConfig config = SolverConfig.builder().epochs(3).batchSize(16).learningRate(0.05).seed(3)
                .precision(precision).build();
        TwoLayerNet net = TwoLayerNet.initialize(features, 9, 3, InitKind.HE, 0, 4);
        TrainingResult fromBytes = new Solver(config).train(net, asBytes.select(trainRows),
                asBytes.select(validationRows), pre, null);
        TrainingResult fromFloats = new Solver(config).train(net, asFloats.select(trainRows),
                asFloats.select(validationRows), pre, null);
        assertThat(fromBytes.lossHistory()).containsExactly(fromFloats.lossHistory());
        assertThat(fromBytes.best().w1()).containsExactly(fromFloats.best().w1());
        assertThat(fromBytes.bestValAccuracy()).isEqualTo(fromFloats.bestValAccuracy());
    }
}
