package io.nnserve.training;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.nnserve.system.NotFoundException;

/**
 * {@code GET /jobs/{id}/events}: each subscriber is polled a few times a second on a small scheduler (never a
 * request thread) and sent what is new since its last poll: {@code loss} points (the event id is the next
 * iteration, so a reconnecting EventSource resumes with Last-Event-ID), {@code epoch} metrics, {@code progress}
 * (the job), and at the end {@code status} (the final job) before the stream completes. The state comes from
 * {@link JobService}, i.e. from memory when the job runs here and from the database when it runs on another
 * instance, so a subscriber may connect to any instance, and one that connects late first receives what it missed.
 *
 * <p>A client that stops reading must not hold up the others: a write to it blocks until the server's write timeout
 * ({@code server.tomcat.connection-timeout}) once its socket buffers are full. So the scheduler only decides whose
 * turn it is, and each poll, with its writes, runs on a thread of its own from an elastic pool; a subscription whose
 * previous poll is still writing skips its turn. A stream with nothing new gets a comment after
 * {@code nnserve.jobs.events-keep-alive} of silence, so that a client that has gone away is noticed (the write fails)
 * and stops being polled, and proxies do not close an idle stream.
 *
 * <p>When the instance shuts down, every stream is ended at once, before the web server waits for the requests in
 * flight: an open stream is such a request, and would hold the shutdown for its whole timeout (30 s) and then be
 * cut off mid-stream. The client, told to retry after a second, reconnects (an EventSource does so by itself, with
 * Last-Event-ID) to an instance that is up.
 */
@Component
class JobEvents implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    /** Loss points per event: keeps a late subscriber's catch-up in reasonably sized messages. */
    static final int MAX_POINTS_PER_EVENT = 5000;
    private static final long POLL_MILLIS = 250;
    private static final long TIMEOUT_MILLIS = 60 * 60 * 1000L;
    /** The retry delay a stream ended by a shutdown suggests to its client. */
    private static final long RECONNECT_MILLIS = 1000;
    /** Polls writing at once; beyond it a subscription waits for its next turn. */
    private static final int MAX_SENDERS = 64;

    private final JobService service;
    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor senders;
    private final long keepAliveNanos;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    JobEvents(JobService service, JobsProperties properties) {
        this.service = service;
        this.keepAliveNanos = properties.eventsKeepAlive().toNanos();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemons("nnserve-job-events"));
        this.senders = new ThreadPoolExecutor(0, MAX_SENDERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemons("nnserve-job-events-send-"));
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name.endsWith("-") ? name + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    SseEmitter subscribe(String jobId, long since) {
        JobRepository.JobRow row = service.row(jobId);
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        Subscription subscription = new Subscription(jobId, since, epochsBefore(since, row), iterationsPerEpoch(row),
                emitter);
        subscriptions.add(subscription);
        emitter.onCompletion(subscription::close);
        emitter.onTimeout(subscription::close);
        emitter.onError(e -> subscription.close());
        subscription.future = scheduler.scheduleWithFixedDelay(subscription::turn, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (subscription.closed) {
            subscription.close();
        }
        if (!running) {
            // subscribed while the instance stops: end it as stop() ended the others
            subscription.close();
            emitter.complete();
        }
        return emitter;
    }

    /**
     * The epochs a client resuming at iteration {@code since} has received: those that end at or before it. An epoch
     * is sent only after the loss event that covers its last iteration, so whoever got the loss event with id
     * {@code since} got exactly those epochs, and no later one.
     */
    static int epochsBefore(long since, JobRepository.JobRow row) {
        return since <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, since / iterationsPerEpoch(row));
    }

    private static long iterationsPerEpoch(JobRepository.JobRow row) {
        return Math.max(1, row.iterations() / Math.max(1, row.epochs()));
    }

    /** Streams open now. */
    int subscribers() {
        return subscriptions.size();
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every stream; runs before the web server's graceful shutdown (a higher phase stops earlier). The farewell
     * is written on the senders, not here: a client that stopped reading would otherwise hold the shutdown, and the
     * running jobs' checkpoints after it, for the write timeout.
     */
    @Override
    public void stop() {
        running = false;
        for (Subscription subscription : subscriptions) {
            subscription.close();
            Runnable farewell = () -> {
                try {
                    subscription.emitter.send(SseEmitter.event().reconnectTime(RECONNECT_MILLIS)
                            .comment("this instance is shutting down; reconnect to continue"));
                } catch (IOException | IllegalStateException e) {
                    // the client has gone already
                }
                subscription.emitter.complete();
            };
            try {
                senders.execute(farewell);
            } catch (RejectedExecutionException e) {
                subscription.emitter.complete(); // every sender is stuck on a slow client: end it without a word
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    @Override
    public void destroy() {
        subscriptions.forEach(s -> s.emitter.complete());
        scheduler.shutdownNow();
        senders.shutdownNow();
    }

    private final class Subscription {
        private final String jobId;
        private final SseEmitter emitter;
        private long nextLoss;
        private int epochsSent;
        private final long iterationsPerEpoch;
        private long lastIteration = -1;
        private String lastStatus;
        private long lastSentNanos = System.nanoTime();
        private volatile ScheduledFuture<?> future;
        private volatile boolean closed;
        /** A poll of this subscription is running (and perhaps blocked writing to a slow client). */
        private final AtomicBoolean polling = new AtomicBoolean();

        Subscription(String jobId, long since, int epochsSent, long iterationsPerEpoch, SseEmitter emitter) {
            this.jobId = jobId;
            this.nextLoss = since;
            this.epochsSent = epochsSent;
            this.iterationsPerEpoch = iterationsPerEpoch;
            this.emitter = emitter;
        }

        /** Runs on the scheduler: hands this subscription's poll to a sender unless its last one is still running. */
        void turn() {
            if (closed || !polling.compareAndSet(false, true)) {
                return;
            }
            try {
                senders.execute(() -> {
                    try {
                        poll();
                    } finally {
                        polling.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                polling.set(false); // every sender is busy: try again next turn
            }
        }

        /** The epochs not sent yet that end by {@code iteration} (the loss points sent so far cover them), in order. */
        private void sendEpochsEndingBy(List<LossView.EpochView> epochs, long iteration) throws IOException {
            while (epochsSent < epochs.size() && (epochsSent + 1) * iterationsPerEpoch <= iteration) {
                send(SseEmitter.event().name("epoch").data(epochs.get(epochsSent), MediaType.APPLICATION_JSON));
                epochsSent++;
            }
        }

        /** Runs on a sender, one poll at a time per subscription. */
        void poll() {
            if (closed) {
                return;
            }
            try {
                // The job first: once it reads final, everything it wrote is stored and the loss read is complete.
                JobView job = service.get(jobId);
                LossView loss = service.loss(jobId, nextLoss);
                boolean ended = JobStatus.valueOf(job.status()).isFinal();
                // each epoch right after the loss event that covers its last iteration: a client resuming from a
                // loss event's id has then seen exactly the epochs that end by it (epochsBefore), no more, no fewer
                for (int from = 0; from < loss.loss().length; from += MAX_POINTS_PER_EVENT) {
                    double[] part = Arrays.copyOfRange(loss.loss(), from, Math.min(loss.loss().length, from + MAX_POINTS_PER_EVENT));
                    long first = nextLoss;
                    nextLoss += part.length;
                    send(SseEmitter.event().name("loss").id(Long.toString(nextLoss))
                            .data(Map.of("since", first, "loss", part), MediaType.APPLICATION_JSON));
                    sendEpochsEndingBy(loss.epochs(), nextLoss);
                }
                // an ended job's last epochs whatever their iterations (early stopping, a rewound history)
                sendEpochsEndingBy(loss.epochs(), ended ? Long.MAX_VALUE : nextLoss);
                if (job.iteration() != lastIteration || !job.status().equals(lastStatus)) {
                    lastIteration = job.iteration();
                    lastStatus = job.status();
                    send(SseEmitter.event().name("progress").data(job, MediaType.APPLICATION_JSON));
                }
                if (ended) {
                    send(SseEmitter.event().name("status").data(job, MediaType.APPLICATION_JSON));
                    close();
                    emitter.complete();
                } else if (System.nanoTime() - lastSentNanos > keepAliveNanos) {
                    send(SseEmitter.event().comment("keep-alive"));
                }
            } catch (IOException | IllegalStateException e) {
                // The client went away (or the emitter already completed): stop polling for it.
                close();
            } catch (NotFoundException e) {
                // deleted while followed (it had ended: only ended jobs are deleted): say so, so that the client
                // does not take the end of the stream for a lost connection and reconnect to a 404
                try {
                    send(SseEmitter.event().name("deleted").data(Map.of("id", jobId), MediaType.APPLICATION_JSON));
                } catch (IOException | IllegalStateException gone) {
                    // the client went away as well
                }
                close();
                emitter.complete();
            } catch (DataAccessException e) {
                log.debug("job events for {}: database unavailable, retrying: {}", jobId, e.getMessage());
            } catch (RuntimeException e) {
                // not retried: the same state would fail the same way; the client may reconnect
                log.warn("job events for {}: ending the stream after an unexpected error", jobId, e);
                close();
                emitter.complete();
            }
        }

        private void send(SseEmitter.SseEventBuilder event) throws IOException {
            emitter.send(event);
            lastSentNanos = System.nanoTime();
        }

        void close() {
            closed = true;
            subscriptions.remove(this);
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
