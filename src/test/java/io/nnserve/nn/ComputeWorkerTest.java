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
