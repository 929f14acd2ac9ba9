package io.nnserve.nn;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One persistent helper thread that shares a computation with its caller, handed over through volatile fields (no
 * executor: a submit/get round trip costs more than a small matrix product). The work is cut into chunks that
 * both threads claim one at a time, so when the helper is slow to wake, or descheduled on a busy machine, the
 * caller simply does more of the chunks itself and never waits for work nobody has started. The caller claims from
 * the last chunk down and the helper from the first up: the helper's chunks are always a prefix and the caller's
 * the rest, so a job cut into two parts runs part 0 on the helper and part 1 on the caller whenever both take part
 * (the training step counts on that to keep each thread's data in its own core's cache; correctness never depends
 * on it).
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

    /** Most chunks of one computation (two 16-bit claim positions share the low half of {@link #claims}). */
    static final int MAX_CHUNKS = 0xFFFF;
    private static final int TICKET_SHIFT = 32;
    private static final int FRONT_SHIFT = 16;
    private static final long POSITION_MASK = 0xFFFF;
    private static final long TICKET_MASK = 0xFFFF_FFFFL;

    private final AtomicBoolean owned = new AtomicBoolean();
    /**
     * The ticket of the current computation (bits 32-63) and its unclaimed chunks {@code [front, end)}: front in bits
     * 16-31, end in bits 0-15.
     */
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
        this(name, spinNanos, 0);
    }

    /** A worker whose first computation gets the ticket after {@code lastTicket} (tests start it near the wrap). */
    ComputeWorker(String name, long spinNanos, long lastTicket) {
        this.spinNanos = spinNanos;
        tickets = lastTicket & TICKET_MASK;
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
        if (chunks < 0 || chunks > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunks must be 0 to " + MAX_CHUNKS + ", got " + chunks);
        }
        job = work;
        failure = null;
        finished.set(0);
        // tickets wrap at 32 bits, the width they have in claims (a long-running server passes 2^32 hand-overs)
        tickets = (tickets + 1) & TICKET_MASK;
        long ticket = tickets;
        claims.set(ticket << TICKET_SHIFT | chunks);
        posted = ticket;
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        claimAndRun(ticket, false);
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

    /** Claims chunks of the given computation until none is left: from the front up, or from the end down. */
    private void claimAndRun(long ticket, boolean fromFront) {
        while (true) {
            long state = claims.get();
            int front = (int) (state >>> FRONT_SHIFT & POSITION_MASK);
            int end = (int) (state & POSITION_MASK);
            if (state >>> TICKET_SHIFT != ticket || front == end) {
                return;
            }
            if (claims.compareAndSet(state, fromFront ? state + (1L << FRONT_SHIFT) : state - 1)) {
                try {
                    job.runChunk(fromFront ? front : end - 1);
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
                claimAndRun(ticket, true);
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
