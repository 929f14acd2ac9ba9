package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ComputeWorkerTest {

    private final ComputeWorker worker = new ComputeWorker("test-helper", 100_000);

    @Test
    void everyChunkRunsExactlyOnceAndTheHelperTakesSome() {
        int rounds = 2000;
        int chunks = 7;
        AtomicIntegerArray counts = new AtomicIntegerArray(rounds * chunks);
        AtomicInteger byHelper = new AtomicInteger();
        Thread me = Thread.currentThread();
        assertThat(worker.tryAcquire()).isTrue();
        try {
            for (int r = 0; r < rounds; r++) {
                int round = r;
                worker.run(chunk -> {
                    counts.incrementAndGet(round * chunks + chunk);
                    if (Thread.currentThread() != me) {
                        byHelper.incrementAndGet();
                    }
                    busyFor(2_000);
                }, chunks);
            }
        } finally {
            worker.release();
        }
        for (int i = 0; i < counts.length(); i++) {
            assertThat(counts.get(i)).as("chunk %d", i).isEqualTo(1);
        }
        assertThat(byHelper.get()).isPositive();
    }

    /**
     * The helper claims from the first chunk up and the caller from the last down, so in every computation the
     * helper's chunks are a prefix and the caller's the rest: a job cut in two parts keeps part 1 on the caller.
     */
    @Test
    void theHelperTakesChunksFromTheFrontAndTheCallerFromTheBack() {
        int chunks = 7;
        Thread me = Thread.currentThread();
        int[] byHelper = new int[chunks];
        int helperRounds = 0;
        // at least 500 rounds, and until the helper has taken part in 50 (a busy machine may keep it off a core for
        // a while; 500 rounds are only 7 ms of work)
        long deadline = System.nanoTime() + 20_000_000_000L;
        assertThat(worker.tryAcquire()).isTrue();
        try {
            for (int r = 0; r < 500 || (helperRounds < 50 && System.nanoTime() < deadline); r++) {
                java.util.Arrays.fill(byHelper, -1);
                worker.run(chunk -> {
                    byHelper[chunk] = Thread.currentThread() == me ? 0 : 1;
                    busyFor(2_000);
                }, chunks);
                int helperPrefix = 0;
                while (helperPrefix < chunks && byHelper[helperPrefix] == 1) {
                    helperPrefix++;
                }
                for (int c = helperPrefix; c < chunks; c++) {
                    assertThat(byHelper[c]).as("round %d chunk %d (helper took the first %d)", r, c, helperPrefix)
                            .isZero();
                }
                helperRounds += helperPrefix > 0 ? 1 : 0;
            }
        } finally {
            worker.release();
        }
        assertThat(helperRounds).isPositive();
    }

    /** Tickets are 32 bits wide in the claims: computations go on across the wrap (a server passes 2^32 of them). */
    @Test
    void computationsGoOnWhenTheTicketsWrap() {
        ComputeWorker nearWrap = new ComputeWorker("test-wrap", 100_000, 0xFFFF_FFFDL);
        AtomicInteger runs = new AtomicInteger();
        assertThat(nearWrap.tryAcquire()).isTrue();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
            for (int r = 0; r < 6; r++) {
                nearWrap.run(chunk -> {
                    runs.incrementAndGet();
                    busyFor(2_000);
                }, 3);
            }
        });
        nearWrap.release();
        assertThat(runs.get()).isEqualTo(18);
    }

    private static void busyFor(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void onlyOneCallerHoldsTheHelper() {
        assertThat(worker.tryAcquire()).isTrue();
        assertThat(worker.tryAcquire()).isFalse();
        worker.release();
        assertThat(worker.tryAcquire()).isTrue();
        worker.release();
    }

    @Test
    void aFailingChunkReachesTheCallerAndTheWorkerGoesOn() {
        assertThat(worker.tryAcquire()).isTrue();
        try {
            assertThatThrownBy(() -> worker.run(chunk -> {
                if (chunk == 1) {
                    throw new IllegalStateException("chunk 1 failed");
                }
            }, 4)).isInstanceOf(IllegalStateException.class).hasMessage("chunk 1 failed");
            AtomicInteger runs = new AtomicInteger();
            worker.run(chunk -> runs.incrementAndGet(), 4);
            assertThat(runs.get()).isEqualTo(4);
        } finally {
            worker.release();
        }
    }

    @Test
    void theHelperParksWhenIdleAndWakesForWork() throws InterruptedException {
        assertThat(worker.tryAcquire()).isTrue();
        try {
            worker.run(chunk -> { }, 2);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (worker.helperState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(worker.helperState()).isEqualTo(Thread.State.WAITING);
            AtomicInteger runs = new AtomicInteger();
            worker.run(chunk -> runs.incrementAndGet(), 2);
            assertThat(runs.get()).isEqualTo(2);
        } finally {
            worker.release();
        }
    }
}
