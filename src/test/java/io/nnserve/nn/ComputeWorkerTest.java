package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ComputeWorkerTest {

    private final ComputeWorker worker = new ComputeWorker("test-helper", 100_000);

    @Test
    void everyChunkRunsExactlyOnceAndTheHelperTakesSome() {
        int chunks = 7;
        AtomicIntegerArray counts = new AtomicIntegerArray(chunks);
        AtomicInteger byHelper = new AtomicInteger();
        Thread me = Thread.currentThread();
        // at least 2000 rounds, and until the helper has taken a chunk (a busy machine may keep it off a core a while)
        long deadline = System.nanoTime() + 20_000_000_000L;
        assertThat(worker.tryAcquire()).isTrue();
        try {
            for (int r = 0; r < 2000 || (byHelper.get() == 0 && System.nanoTime() < deadline); r++) {
                for (int c = 0; c < chunks; c++) {
                    counts.set(c, 0);
                }
                worker.run(chunk -> {
                    counts.incrementAndGet(chunk);
                    if (Thread.currentThread() != me) {
                        byHelper.incrementAndGet();
                    }
                    busyFor(2_000);
                }, chunks);
                for (int c = 0; c < chunks; c++) {
                    if (counts.get(c) != 1) {
                        assertThat(counts.get(c)).as("round %d chunk %d ran", r, c).isEqualTo(1);
                    }
                }
            }
        } finally {
            worker.release();
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
                Arrays.fill(byHelper, -1);
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
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
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

    /**
     * After a computation the helper parks (a thread state of WAITING, not a spinning RUNNABLE), and the next
     * computation wakes it: the caller claims chunk 1 first and holds it until the helper has run chunk 0.
     */
    @Test
    void theHelperParksWhenIdleAndWakesForWork() throws InterruptedException {
        assertThat(worker.tryAcquire()).isTrue();
        try {
            worker.run(chunk -> { }, 2);
            // no re-read after the loop: a caller's unpark may still be on its way to a helper seen parked, and the
            // helper then runs briefly before it parks again
            boolean parked = false;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!parked && System.nanoTime() < deadline) {
                parked = worker.helperState() == Thread.State.WAITING;
                if (!parked) {
                    Thread.sleep(5);
                }
            }
            assertThat(parked).as("the helper parked within 10 s").isTrue();

            Thread me = Thread.currentThread();
            AtomicInteger chunkZeroBy = new AtomicInteger(-1);
            worker.run(chunk -> {
                if (chunk == 0) {
                    chunkZeroBy.set(Thread.currentThread() == me ? 0 : 1);
                } else {
                    long wait = System.nanoTime() + 10_000_000_000L;
                    while (chunkZeroBy.get() < 0 && System.nanoTime() < wait) {
                        Thread.onSpinWait();
                    }
                }
            }, 2);
            assertThat(chunkZeroBy.get()).as("chunk 0 ran on the woken helper").isEqualTo(1);
        } finally {
            worker.release();
        }
    }
}
