package io.nnserve.nn;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One persistent helper thread that takes half of a computation, handed over through volatile fields (no
 * executor: a submit/get round trip costs more than a small matrix product). After finishing a part the helper
 * spins for a short while ({@code spinNanos}: the gap between two products of one training step is shorter) and
 * then parks, so an idle server does not burn a core. Whoever posts work unparks it when it sleeps.
 *
 * <p>One caller at a time: {@link #tryAcquire()} gives the helper to one thread; a caller that does not get it
 * does its whole computation alone (two trainings at once then use one core each).
 */
final class ComputeWorker {

    /** A computation in two parts: part 0 runs on the caller, part 1 on the helper. */
    interface Job {
        void runPart(int part);
    }

    private final AtomicBoolean owned = new AtomicBoolean();
    private final long spinNanos;
    private final Thread thread;
    private volatile long posted;
    private volatile long completed;
    private volatile boolean sleeping;
    /** Written by the caller before {@link #posted}, read by the helper after it (the volatile orders them). */
    private Job job;
    private Throwable failure;

    ComputeWorker(String name, long spinNanos) {
        this.spinNanos = spinNanos;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean tryAcquire() {
        return owned.compareAndSet(false, true);
    }

    void release() {
        owned.set(false);
    }

    /** Runs part 0 here and part 1 on the helper; returns when both are done. The caller holds the helper. */
    void runBoth(Job work) {
        job = work;
        failure = null;
        long ticket = posted + 1;
        posted = ticket;
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        Throwable mine = null;
        try {
            work.runPart(0);
        } catch (RuntimeException | Error e) {
            mine = e;
        }
        while (completed != ticket) {
            Thread.onSpinWait();
        }
        job = null;
        Throwable theirs = failure;
        if (mine == null && theirs != null) {
            mine = theirs;
        }
        if (mine instanceof RuntimeException r) {
            throw r;
        }
        if (mine instanceof Error e) {
            throw e;
        }
    }

    /** The helper thread's state (tests: it parks when idle). */
    Thread.State helperState() {
        return thread.getState();
    }

    private void loop() {
        long seen = 0;
        long idleSince = System.nanoTime();
        while (true) {
            long ticket = posted;
            if (ticket != seen) {
                seen = ticket;
                try {
                    job.runPart(1);
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                completed = ticket;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < spinNanos) {
                Thread.onSpinWait();
            } else {
                sleeping = true;
                if (posted == seen) {
                    LockSupport.park(this);
                }
                sleeping = false;
                idleSince = System.nanoTime();
            }
        }
    }
}
