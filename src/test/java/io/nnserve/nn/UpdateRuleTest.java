package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The first two steps of each rule on w = (1, -2) with gradients (0.5, 0.25) then (-0.1, 0.4), learning rate 0.1,
 * against values worked out by hand (the arithmetic is in the comments).
 */
class UpdateRuleTest {

    private static final double LR = 0.1;

    /** Runs two steps on W2 = (1, -2) (a 1 x 2 store) and returns W2 after each. */
    private static double[][] twoSteps(UpdateRuleKind kind) {
        Params p = Params.zeros(1, 1, 2);
        Params g = Params.zerosLike(p);
        p.w2.data[0] = 1.0;
        p.w2.data[1] = -2.0;
        UpdateRule rule = UpdateRule.create(kind, 0.9, p);
        g.w2.data[0] = 0.5;
        g.w2.data[1] = 0.25;
        rule.update(p, g, LR);
        double[] first = p.w2.data.clone();
        g.w2.data[0] = -0.1;
        g.w2.data[1] = 0.4;
        rule.update(p, g, LR);
        return new double[][] {first, p.w2.data.clone()};
    }

    @Test
    void sgd() {
        double[][] w = twoSteps(UpdateRuleKind.SGD);
        // w - lr·dw: 1 - 0.05 = 0.95, -2 - 0.025 = -2.025; then 0.95 + 0.01 = 0.96, -2.025 - 0.04 = -2.065
        assertThat(w[0][0]).isCloseTo(0.95, within(1e-15));
        assertThat(w[0][1]).isCloseTo(-2.025, within(1e-15));
        assertThat(w[1][0]).isCloseTo(0.96, within(1e-15));
        assertThat(w[1][1]).isCloseTo(-2.065, within(1e-15));
    }

    @Test
    void momentum() {
        double[][] w = twoSteps(UpdateRuleKind.MOMENTUM);
        // v1 = -lr·dw = (-0.05, -0.025), w1 = (0.95, -2.025)
        // v2 = 0.9·v1 - lr·dw2 = (-0.045 + 0.01, -0.0225 - 0.04) = (-0.035, -0.0625), w2 = (0.915, -2.0875)
        assertThat(w[0][0]).isCloseTo(0.95, within(1e-15));
        assertThat(w[0][1]).isCloseTo(-2.025, within(1e-15));
        assertThat(w[1][0]).isCloseTo(0.915, within(1e-15));
        assertThat(w[1][1]).isCloseTo(-2.0875, within(1e-15));
    }

    @Test
    void rmsprop() {
        double[][] w = twoSteps(UpdateRuleKind.RMSPROP);
        // c1 = 0.01·dw² = (0.0025, 0.000625), sqrt = (0.05, 0.025): each weight moves by about lr·sign(dw)
        assertThat(w[0][0]).isCloseTo(1 - 0.1 * 0.5 / (0.05 + 1e-8), within(1e-15)).isCloseTo(1.9999996e-7, within(1e-13));
        assertThat(w[0][1]).isCloseTo(-2 - 0.1 * 0.25 / (0.025 + 1e-8), within(1e-15)).isCloseTo(-2.9999996, within(1e-12));
        // c2 = 0.99·c1 + 0.01·dw2² = (0.002475 + 0.0001, 0.00061875 + 0.0016) = (0.002575, 0.00221875)
        assertThat(w[1][0]).isCloseTo(1.9999996e-7 + 0.1 * 0.1 / (Math.sqrt(0.002575) + 1e-8), within(1e-12))
                .isCloseTo(0.197066017, within(1e-9));
        assertThat(w[1][1]).isCloseTo(-2.9999996 - 0.1 * 0.4 / (Math.sqrt(0.00221875) + 1e-8), within(1e-12))
                .isCloseTo(-3.849191248, within(1e-9));
    }

    @Test
    void adam() {
        double[][] w = twoSteps(UpdateRuleKind.ADAM);
        // t=1: m = 0.1·dw, v = 0.001·dw², so m̂ = dw and v̂ = dw²: each weight moves by lr·dw/(|dw| + 1e-8) ≈ lr
        assertThat(w[0][0]).isCloseTo(0.9000000019999999, within(1e-15));
        assertThat(w[0][1]).isCloseTo(-2.099999996, within(1e-15));
        // t=2, first weight: m = 0.9·0.05 - 0.01 = 0.035, v = 0.999·0.00025 + 0.001·0.01 = 0.00025975,
        // m̂ = 0.035 / 0.19, v̂ = 0.00025975 / 0.001999; w = 0.9 - 0.1·m̂/(sqrt(v̂) + 1e-8) = 0.848897...
        assertThat(w[1][0]).isCloseTo(0.9000000019999999 - 0.1 * (0.035 / 0.19) / (Math.sqrt(0.00025975 / 0.001999) + 1e-8), within(1e-15))
                .isCloseTo(0.8488973957, within(1e-10));
        // second weight: m = 0.9·0.025 + 0.04 = 0.0625, v = 0.999·0.0000625 + 0.001·0.16 = 0.0002224375
        assertThat(w[1][1]).isCloseTo(-2.099999996 - 0.1 * (0.0625 / 0.19) / (Math.sqrt(0.0002224375 / 0.001999) + 1e-8), within(1e-15))
                .isCloseTo(-2.1986117759, within(1e-10));
    }

    @Test
    void biasesAndWeightsAllMove() {
        Params p = Params.zeros(2, 2, 2);
        Params g = Params.zerosLike(p);
        for (var s : g.stores()) {
            java.util.Arrays.fill(s.data, 1.0);
        }
        UpdateRule.create(UpdateRuleKind.SGD, 0.9, p).update(p, g, 0.5);
        for (var s : p.stores()) {
            assertThat(s.data).containsOnly(-0.5);
        }
    }

    @Test
    void stateRoundTrips() {
        Params p = Params.zeros(1, 1, 2);
        Params g = Params.zerosLike(p);
        g.w2.data[0] = 0.5;
        UpdateRule adam = UpdateRule.create(UpdateRuleKind.ADAM, 0.9, p);
        adam.update(p, g, LR);
        UpdateRule copy = UpdateRule.create(UpdateRuleKind.ADAM, 0.9, p);
        copy.restore(adam.state(), adam.steps);
        Params p2 = Params.zerosLike(p);
        p2.copyFrom(p);
        adam.update(p, g, LR);
        copy.update(p2, g, LR);
        assertThat(p2.w2.data).containsExactly(p.w2.data);
        assertThatThrownBy(() -> copy.restore(new double[1][], 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownRuleNamesAreRejected() {
        assertThat(UpdateRuleKind.parse("Adam")).isEqualTo(UpdateRuleKind.ADAM);
        assertThatThrownBy(() -> UpdateRuleKind.parse("adagrad"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("adagrad").hasMessageContaining("sgd, momentum, rmsprop, adam");
    }
}
