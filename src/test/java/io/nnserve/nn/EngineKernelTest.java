package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The kernel by name, and {@code auto}'s choice by the CPU: the vector kernel's every step is a fused multiply-add,
 * which the Vector API computes in {@code BigDecimal} where the CPU has none.
 */
class EngineKernelTest {

    @Test
    void autoIsTheVectorKernelWithAHardwareFmaAndOjAlgoWithout() {
        assertThat(EngineKernel.create("auto", true)).isInstanceOf(VectorProducts.class);
        assertThat(EngineKernel.create(" AUTO ", false)).isInstanceOf(OjAlgoProducts.class);
        assertThat(EngineKernel.create("ojalgo", true)).isInstanceOf(OjAlgoProducts.class);
        assertThat(EngineKernel.create("vector", true)).isInstanceOf(VectorProducts.class);
    }

    @Test
    void theVectorKernelIsRefusedWithoutAHardwareFma() {
        assertThatThrownBy(() -> EngineKernel.create("vector", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no fused multiply-add")
                .hasMessageContaining("use 'auto' or 'ojalgo'");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> EngineKernel.create("blas", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nnserve.engine.kernel must be 'auto', 'vector' or 'ojalgo', got 'blas'");
    }

    /**
     * A JVM that may not use the CPU's FMA ({@code -XX:UseAVX=0}, as on a CPU without one) says so, chooses ojAlgo's
     * products, and trains a network on the digits in both precisions: the vector kernel there took 20 s for one
     * product of a Fashion-MNIST minibatch.
     */
    @Test
    void withoutAHardwareFmaTheEngineTrainsOnOjAlgosProducts() throws Exception {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "-XX:UseAVX is an x86 option");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:UseAVX=0", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                DigitsWithoutFma.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            child.getOutputStream().close();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // a bound for a hang (the software FMAs), not a timing: the run takes seconds
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).as(out).isTrue();
            assertThat(child.exitValue()).as(out).isZero();
            String last = out.lines().reduce((a, b) -> b).orElse("");
            assertThat(last).startsWith("fma=false kernel=ojalgo ");
            for (Precision precision : Precision.values()) {
                String accuracy = last.replaceAll(".* " + precision.wireName() + "=(\\S+).*", "$1");
                assertThat(Double.parseDouble(accuracy)).as(last).isGreaterThan(0.9);
            }
        } finally {
            child.destroyForcibly();
        }
    }

    /** Trains on the digits in each precision with the default kernel; prints what it found and the accuracies. */
    static final class DigitsWithoutFma {

        public static void main(String[] args) throws IOException {
            Samples[] split = TestData.split(TestData.csv("/samples/digits.csv.gz"), 0.2, 1);
            Preprocessing scaling = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, split[0]);
            StringBuilder line = new StringBuilder("fma=" + EngineKernel.hardwareFma())
                    .append(" kernel=").append(EngineKernel.current());
            for (Precision precision : Precision.values()) {
                SolverConfig config = SolverConfig.builder().epochs(10).batchSize(100).updateRule(UpdateRuleKind.ADAM)
                        .learningRate(0.005).regularization(RegularizationKind.L2).precision(precision).seed(2).build();
                TrainingResult result = new Solver(config).train(
                        TwoLayerNet.initialize(split[0].features(), 100, split[0].classes(), InitKind.HE, 0, 2),
                        split[0], split[1], scaling, null);
                line.append(' ').append(precision.wireName()).append('=')
                        .append(TestData.accuracy(TwoLayerNet.of(result.best(), precision), split[1], scaling));
            }
            System.out.println(line);
        }
    }
}
