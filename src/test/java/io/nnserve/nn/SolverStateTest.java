package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SolverStateTest {

    private static SolverState someState(UpdateRuleKind rule, boolean validation) {
        Samples data = TestData.randomSamples(60, 5, 3, 1);
        SolverConfig config = SolverConfig.builder().epochs(2).batchSize(10).updateRule(rule).learningRate(0.01)
                .loss(LossKind.SVM).svmMargin(0.5).earlyStoppingPatience(4).seed(-7).build();
        Checkpoints checkpoints = new Checkpoints();
        new Solver(config).train(TwoLayerNet.initialize(5, 4, 3, InitKind.HE, 0, 1), data,
                validation ? TestData.randomSamples(20, 5, 3, 2) : null, Preprocessing.none(5), checkpoints);
        return checkpoints.get(1);
    }

    @Test
    void bytesRoundTrip() {
        for (UpdateRuleKind rule : UpdateRuleKind.values()) {
            for (boolean validation : new boolean[] {true, false}) {
                SolverState state = someState(rule, validation);
                byte[] bytes = state.toBytes();
                SolverState back = SolverState.fromBytes(bytes);
                assertThat(back.toBytes()).isEqualTo(bytes);
                assertThat(back).isEqualTo(state);
                assertThat(back.config()).isEqualTo(state.config());
                assertThat(back.lossHistory()).containsExactly(state.lossHistory());
                assertThat(back.current()).isEqualTo(state.current());
                assertThat(back.best()).isEqualTo(state.best());
                assertThat(back.epochs()).isEqualTo(state.epochs());
                assertThat(back.bestValAccuracy()).isEqualTo(state.bestValAccuracy());
                assertThat(back.rngState()).isEqualTo(state.rngState());
                assertThat(back.updateRuleState()).isDeepEqualTo(state.updateRuleState());
                assertThat(back.epochsDone()).isEqualTo(2);
                assertThat(back.iteration()).isEqualTo(12);
            }
        }
    }

    @Test
    void damagedBytesAreRefused() {
        byte[] bytes = someState(UpdateRuleKind.ADAM, true).toBytes();
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 1;
        assertThatThrownBy(() -> SolverState.fromBytes(flipped)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checksum");
        assertThatThrownBy(() -> SolverState.fromBytes(Arrays.copyOf(bytes, bytes.length - 9)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] otherVersion = bytes.clone();
        otherVersion[5] = 9;
        assertThatThrownBy(() -> SolverState.fromBytes(otherVersion)).hasMessageContaining("version 9");
        assertThatThrownBy(() -> SolverState.fromBytes("hello, world".getBytes())).hasMessageContaining("magic");
        assertThatThrownBy(() -> SolverState.fromBytes(new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startsWithMagicAndVersion() {
        byte[] bytes = someState(UpdateRuleKind.SGD, false).toBytes();
        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("NNSS");
        assertThat(bytes[4]).isZero();
        assertThat(bytes[5]).isEqualTo((byte) 1);
    }
}
