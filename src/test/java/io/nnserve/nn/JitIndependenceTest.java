package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A run's bits must not depend on how far the JIT has got: the same seed gives the same losses and weights in a JVM
 * that only interprets ({@code -Xint}) as in one whose C2 has compiled the training code.
 * Vector API operations that C2 replaces with another implementation (its {@code EXP}, for one, becomes a
 * different library's exp once compiled) would break that, and with it the promise that a seed repeats a run.
 */
class JitIndependenceTest {

    @Test
    void trainingGivesTheSameBitsInterpretedAsCompiled() throws Exception {
        // two fresh JVMs: one that only interprets, and one whose JIT compiles after a twentieth of the usual calls
        // and waits for each compilation (-Xbatch), repeating the run until C2 has compiled the step's passes (the
        // last run's fingerprint counts). With the Vector API's exp in the softmax step, the two differed.
        String interpreted = lastLine(run(List.of("-Xint"), "1"));
        String compiled = lastLine(run(List.of("-Xbatch", "-XX:CompileThresholdScaling=0.05"), "30"));
        assertThat(interpreted).isNotBlank();
        assertThat(interpreted).as("losses and weights, interpreted against compiled").isEqualTo(compiled);
    }

    private static String run(List<String> jitOptions, String runs) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jitOptions);
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Fingerprint.class.getName());
        command.add(runs);
        Process child = new ProcessBuilder(command).start();
        try {
            child.getOutputStream().close();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(child.exitValue()).as("%s run: %s", jitOptions, stderr(child)).isZero();
            return out;
        } finally {
            child.destroyForcibly();
        }
    }

    private static String lastLine(String out) {
        return out.lines().reduce((a, b) -> b).orElse("").trim();
    }

    private static String stderr(Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A small run in each precision, wide enough for every vector loop and both parts of layer 1; its bits hashed. */
    static final class Fingerprint {

        public static void main(String[] args) {
            int runs = Integer.parseInt(args[0]);
            for (int run = 0; run < runs; run++) {
                System.out.println(of());
            }
        }

        static String of() {
            StringBuilder out = new StringBuilder();
            Samples data = TestData.randomSamples(256, 40, 5, 31);
            for (Precision precision : Precision.values()) {
                SolverConfig config = SolverConfig.builder().epochs(2).batchSize(64).learningRate(0.05)
                        .regularization(RegularizationKind.L2).updateRule(UpdateRuleKind.ADAM).precision(precision)
                        .seed(3).build();
                TrainingResult result = new Solver(config).train(TwoLayerNet.initialize(40, 45, 5, InitKind.HE, 0, 4),
                        data, null, Preprocessing.none(40), null);
                long hash = 17;
                for (double loss : result.lossHistory()) {
                    hash = hash * 31 + Double.doubleToLongBits(loss);
                }
                NetworkParameters p = result.best();
                for (double[] w : new double[][] {p.w1(), p.b1(), p.w2(), p.b2()}) {
                    for (double v : w) {
                        hash = hash * 31 + Double.doubleToLongBits(v);
                    }
                }
                out.append(precision.wireName()).append('=').append(Long.toHexString(hash)).append(' ');
            }
            return out.toString().trim();
        }
    }
}
