package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ComputeWorkerTest {

    private final ComputeWorker worker = new ComputeWorker("test-helper", 100_000);

    @Test
    void bothPartsRunOncePerHandOverAndTheHelperPartOnAnotherThread() {
        AtomicInteger caller = new AtomicInteger();
        AtomicInteger helper = new AtomicInteger();
        Thread me = Thread.currentThread();
        assertThat(worker.tryAcquire()).isTrue();
        try {
            for (int i = 0; i < 1000; i++) {
                worker.runBoth(part -> {
                    if (part == 0 && Thread.currentThread() == me) {
                        caller.incrementAndGet();
                    } else if (part == 1 && Thread.currentThread() != me) {
                        helper.incrementAndGet();
                    }
                });
            }
        } finally {
            worker.release();
        }
        assertThat(caller.get()).isEqualTo(1000);
        assertThat(helper.get()).isEqualTo(1000);
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
    void aFailureOnTheHelperReachesTheCallerAndTheHelperGoesOn() {
        assertThat(worker.tryAcquire()).isTrue();
        try {
            assertThatThrownBy(() -> worker.runBoth(part -> {
                if (part == 1) {
                    throw new IllegalStateException("helper part failed");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("helper part failed");
            AtomicInteger runs = new AtomicInteger();
            worker.runBoth(part -> runs.incrementAndGet());
            assertThat(runs.get()).isEqualTo(2);
        } finally {
            worker.release();
        }
    }

    @Test
    void theHelperParksWhenIdleAndWakesForWork() throws InterruptedException {
        assertThat(worker.tryAcquire()).isTrue();
        try {
            worker.runBoth(part -> { });
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (worker.helperState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(worker.helperState()).isEqualTo(Thread.State.WAITING);
            AtomicInteger runs = new AtomicInteger();
            worker.runBoth(part -> runs.incrementAndGet());
            assertThat(runs.get()).isEqualTo(2);
        } finally {
            worker.release();
        }
    }
}
