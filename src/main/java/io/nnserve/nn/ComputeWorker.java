package io.nnserve.nn;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One persistent helper thread that shares a computation with its caller, handed over through volatile fields (no
 * executor: a submit/get round trip costs more than a small matrix product). The work is cut into chunks that
 * both threads claim one at a time, so when the helper is slow to wake, or descheduled on a busy machine, the
 * caller simply does more of the chunks itself and never waits for work nobody has started.
 *
 * <p>After a computation the helper spins for a short while ({@code spinNanos}: the gaps between the products of
 * one training step are shorter) and then parks, so an idle server does not burn a core; a caller unparks it.
 * One caller at a time: {@link #tryAcquire()} gives the helper to one thread; a caller that does not get it does
 * its whole computation alone.
 */
final class ComputeWorker {

    /** A computation cut into independent chunks. */
    interface Job {
        void runChunk(int chunk);
    }

    private static final int TICKET_SHIFT = 32;
    private static final long REMAINING_MASK = 0xFFFF_FFFFL;

    private final AtomicBoolean owned = new AtomicBoolean();
    /** The ticket of the current computation (high half) and how many of its chunks are unclaimed (low half). */
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    private final long spinNanos;
    private final Thread thread;
    private volatile long posted;
    private volatile boolean sleeping;
    private volatile Throwable failure;
    /** Written by the owner before {@link #claims} publishes the ticket; read only after a successful claim. */
    private Job job;
    private long tickets;

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

    /** Runs chunks {@code 0 .. chunks-1} of the job on this thread and the helper; returns when all are done. */
    void run(Job work, int chunks) {
        job = work;
        failure = null;
        finished.set(0);
        long ticket = ++tickets;
        claims.set(ticket << TICKET_SHIFT | chunks);
        posted = ticket;
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        claimAndRun(ticket);
        while (finished.get() != chunks) {
            Thread.onSpinWait();
        }
        job = null;
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /** Claims chunks of the given computation (from the last down) until none is left. */
    private void claimAndRun(long ticket) {
        while (true) {
            long state = claims.get();
            int remaining = (int) (state & REMAINING_MASK);
            if (state >>> TICKET_SHIFT != ticket || remaining == 0) {
                return;
            }
            if (claims.compareAndSet(state, state - 1)) {
                try {
                    job.runChunk(remaining - 1);
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    finished.incrementAndGet();
                }
            }
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
                claimAndRun(ticket);
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
