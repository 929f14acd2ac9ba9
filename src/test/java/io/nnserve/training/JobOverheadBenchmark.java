package io.nnserve.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.nnserve.nn.InitKind;
import io.nnserve.nn.Preprocessing;
import io.nnserve.nn.Samples;
import io.nnserve.nn.Solver;
import io.nnserve.nn.TrainingListener;
import io.nnserve.nn.TwoLayerNet;
import io.nnserve.training.JobRepository.JobRow;

/**
 * What a job costs on top of the engine: the same training (784-100-10, 20,000 synthetic rows, batch 200, adam,
 * 5 epochs) run by the engine alone and as a job (loss history, progress, a checkpoint per epoch, the model) on H2
 * in file mode with durable commits, as the service runs it. Not a test: it prints numbers (tag "benchmark",
 * excluded from the build). Run with {@code ./mvnw -B -o test -Dtest=JobOverheadBenchmark -Dexcluded.test.groups=none}.
 */
@Tag("benchmark")
class JobOverheadBenchmark {

    @Test
    void measure() throws Exception {
        Path dir = Files.createTempDirectory("nnserve-bench");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("nnserve") + ";WRITE_DELAY=0;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        h2.setUser("sa");
        try (QueueFixture fx = new QueueFixture(h2)) {
            FakeDatasets data = fx.datasets;
            Samples samples = FakeDatasets.blobs(20_000, 784, 10, 5);
            data.add("wide", samples);
            JobQueue queue = fx.queue(Duration.ofMinutes(5), 100);
            JobRunner runner = fx.runner(queue, data);
            TrainRequest request = new TrainRequest("wide", null, 0.1, 100, "softmax", 1.0, "l2", 1e-4, "he", 0.01,
                    "adam", 0.001, 0.9, 0.95, 200, 5, "shuffle", 0, 3L, "standardize", null, "float64");
            int rounds = 3;
            double[] engine = new double[rounds];
            double[] job = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                Samples[] split = JobRunner.split(samples, 0.1, 3L);
                Preprocessing p = Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, split[0]);
                long t0 = System.nanoTime();
                new Solver(JobRunner.config(request)).train(TwoLayerNet.initialize(784, 100, 10, InitKind.HE, 0.01, 3L),
                        split[0], split[1], p, TrainingListener.NONE);
                engine[round] = (System.nanoTime() - t0) / 1e9;

                JobRow row = queue.submit(fx.newJob(request, 5, 5 * 90));
                JobQueue.Claim claim = queue.claim("bench").orElseThrow();
                long t1 = System.nanoTime();
                runner.run(claim, fx.live(claim));
                job[round] = (System.nanoTime() - t1) / 1e9;
                if (fx.row(row.id()).status() != JobStatus.SUCCEEDED) {
                    throw new IllegalStateException("benchmark job did not succeed: " + fx.row(row.id()));
                }
            }
            Arrays.sort(engine);
            Arrays.sort(job);
            System.out.printf("BENCH engine alone: %.3f s (median of %d; all %s)%n", engine[rounds / 2], rounds, Arrays.toString(engine));
            System.out.printf("BENCH as a job:     %.3f s (median of %d; all %s)%n", job[rounds / 2], rounds, Arrays.toString(job));
            System.out.printf("BENCH job / engine: %.3f%n", job[rounds / 2] / engine[rounds / 2]);

            // The part of the overhead that does not depend on the machine's load: one epoch's checkpoint.
            long before = System.nanoTime();
            Samples[] split = JobRunner.split(samples, 0.1, 3L);
            Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, split[0]);
            System.out.printf("BENCH a job's fixed cost before training (split + standardize fit): %.1f ms%n",
                    (System.nanoTime() - before) / 1e6);
            byte[][] state = new byte[1][];
            long[] serialise = new long[1];
            new Solver(JobRunner.config(request)).train(TwoLayerNet.initialize(784, 100, 10, InitKind.HE, 0.01, 3L),
                    split[0], split[1], Preprocessing.fit(Preprocessing.Kind.STANDARDIZE, split[0]), new TrainingListener() {
                        @Override
                        public void onCheckpoint(io.nnserve.nn.SolverState s) {
                            long t = System.nanoTime();
                            state[0] = s.toBytes();
                            serialise[0] = System.nanoTime() - t;
                        }
                    });
            queue.submit(fx.newJob(request, 5, 5 * 90));
            JobQueue.Claim claim = queue.claim("bench").orElseThrow();
            LiveJob live = fx.live(claim);
            live.startAt(0, new double[0], java.util.List.of());
            int stores = 20;
            double[] store = new double[stores];
            for (int i = 0; i < stores; i++) {
                for (int k = 0; k < 90; k++) {
                    live.append(1.0 / (k + 1));
                }
                live.addEpoch(0.5, 0.5, 0.001);
                long t = System.nanoTime();
                queue.store(live, new JobRepository.Checkpoint(i + 1, live.iteration(), state[0]));
                store[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(store);
            System.out.printf("BENCH checkpoint: %d bytes, toBytes %.1f ms, store (loss + epoch + checkpoint, one "
                    + "transaction) median %.1f ms, max %.1f ms%n", state[0].length, serialise[0] / 1e6, store[stores / 2],
                    store[stores - 1]);
        }
    }
}
