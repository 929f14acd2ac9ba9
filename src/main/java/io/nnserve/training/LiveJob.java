package io.nnserve.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.nnserve.training.JobRepository.EpochRow;
import io.nnserve.training.JobRepository.Progress;

/**
 * A job running on this instance, as its worker sees it and as readers on this instance read it: progress, the
 * loss points not yet stored (from the start of the current loss chunk on) and the epochs. The worker thread
 * writes; request threads and the heartbeat read. The flags are how other threads ask the worker to stop at the
 * next minibatch.
 */
final class LiveJob {

    final String id;
    final String token;
    final int epochs;
    final long iterations;
    private final long runMsBefore;
    private final Progress stored;
    private final long startedNanos = System.nanoTime();

    volatile boolean cancelRequested;
    /** Another worker owns the job now: write nothing more, just stop. */
    volatile boolean leaseLost;
    /** The instance is stopping: finish the epoch, checkpoint, give the job back. */
    volatile boolean shutdownRequested;
    /** Stop at the next minibatch (shutdown grace over, or the epoch after a shutdown request has ended). */
    volatile boolean stopNow;

    // Guarded by this. The tail always starts at a loss-chunk boundary.
    private double[] tail = new double[2 * LossStore.CHUNK];
    private long tailStart;
    private int tailSize;
    private long iteration;
    private Double loss;
    private Double bestValAccuracy;
    private Double trainAccuracy;
    private final List<EpochRow> epochRows = new ArrayList<>();
    private int epochsStored;
    /** {@link #startAt} has run: the fields above hold the run's state, not just the stored progress. */
    private boolean started;
    /** Where this attempt's training started, and when: its own pace, without loading or redone work. */
    private long startIteration;
    private long startAtNanos;

    /**
     * @param stored the job's progress as stored when it was claimed: what readers and the heartbeat see until
     *               {@link #startAt} (a resumed job loads its data and checkpoint first; meanwhile it has not gone
     *               back to iteration 0)
     */
    LiveJob(String id, String token, int epochs, long iterations, Progress stored) {
        this.id = id;
        this.token = token;
        this.epochs = epochs;
        this.iterations = iterations;
        this.stored = stored;
        this.runMsBefore = stored.runMs();
    }

    /** A claimed job as its worker starts it: the row as claimed, and the claim's lease token. */
    static LiveJob claimed(JobRepository.JobRow row, String token) {
        return new LiveJob(row.id(), token, row.epochs(), row.iterations(), new Progress(row.epoch(), row.iteration(),
                row.loss(), row.bestValAccuracy(), row.trainAccuracy(), row.runMs()));
    }

    /** Where a (resumed) job starts: {@code head} are the stored losses of the current chunk before {@code iteration}. */
    synchronized void startAt(long iteration, double[] head, List<EpochRow> storedEpochs) {
        this.iteration = iteration;
        this.tailStart = iteration - iteration % LossStore.CHUNK;
        if (head.length != iteration - tailStart) {
            throw new IllegalStateException("job " + id + ": stored loss history ends before iteration " + iteration);
        }
        ensureCapacity(head.length);
        System.arraycopy(head, 0, tail, 0, head.length);
        tailSize = head.length;
        if (head.length > 0) {
            loss = head[head.length - 1];
        }
        epochRows.clear();
        epochRows.addAll(storedEpochs);
        epochsStored = storedEpochs.size();
        for (EpochRow e : storedEpochs) {
            noteAccuracy(e);
        }
        startIteration = iteration;
        startAtNanos = System.nanoTime();
        started = true;
    }

    /** Whether readers can take the progress and the loss from here, rather than from the database. */
    synchronized boolean started() {
        return started;
    }

    boolean shouldStop() {
        return stopNow || cancelRequested || leaseLost;
    }

    synchronized void append(double value) {
        ensureCapacity(tailSize + 1);
        tail[tailSize++] = value;
        iteration++;
        loss = value;
    }

    /** Records a finished epoch and returns its number (1-based, counted here whatever the engine numbers). */
    synchronized int addEpoch(double trainAccuracy, Double valAccuracy, double learningRate) {
        EpochRow row = new EpochRow(epochRows.size() + 1, trainAccuracy, valAccuracy, learningRate);
        epochRows.add(row);
        noteAccuracy(row);
        return row.epoch();
    }

    private void noteAccuracy(EpochRow row) {
        trainAccuracy = row.trainAccuracy();
        if (row.valAccuracy() != null && (bestValAccuracy == null || row.valAccuracy() > bestValAccuracy)) {
            bestValAccuracy = row.valAccuracy();
        }
    }

    synchronized void finalAccuracies(Double bestVal, double train) {
        if (bestVal != null) {
            bestValAccuracy = bestVal;
        }
        trainAccuracy = train;
    }

    /** What is not stored yet: the tail from its chunk boundary, and the epochs after the stored ones. */
    synchronized Unstored unstored() {
        return new Unstored(tailStart, Arrays.copyOf(tail, tailSize), List.copyOf(epochRows.subList(epochsStored, epochRows.size())));
    }

    record Unstored(long first, double[] losses, List<EpochRow> epochs) {
    }

    /** After {@code unstored} was committed: keep only the partial last chunk in memory. */
    synchronized void stored(Unstored written) {
        long end = written.first() + written.losses().length;
        long newStart = end - end % LossStore.CHUNK;
        int drop = (int) (newStart - tailStart);
        if (drop > 0) {
            System.arraycopy(tail, drop, tail, 0, tailSize - drop);
            tailSize -= drop;
            tailStart = newStart;
        }
        epochsStored += written.epochs().size();
    }

    /** The losses from {@code since} that are only in memory, with the iteration where memory starts. */
    synchronized MemoryLoss lossSince(long since) {
        // in long: a resume point past the last iteration (even past 2^31) asks for nothing yet
        int from = (int) Math.min(tailSize, Math.max(0, since - tailStart));
        double[] values = from >= tailSize ? new double[0] : Arrays.copyOfRange(tail, from, tailSize);
        return new MemoryLoss(tailStart, values, List.copyOf(epochRows));
    }

    record MemoryLoss(long memoryStart, double[] losses, List<EpochRow> epochs) {
    }

    synchronized Progress progress() {
        if (!started) {
            return stored;
        }
        return new Progress(epochRows.size(), iteration, loss, bestValAccuracy, trainAccuracy, runMs());
    }

    /**
     * Time to the last iteration at this attempt's pace so far; null before its first iteration. The pace of the
     * whole run (elapsedMs over iterations) would count the data loading and, after a resume, the work redone
     * since the checkpoint, as if they were iterations still to come.
     */
    synchronized Long etaMs() {
        long done = started ? iteration - startIteration : 0;
        if (done <= 0) {
            return null;
        }
        double msPerIteration = (System.nanoTime() - startAtNanos) / 1e6 / done;
        return Math.round(msPerIteration * Math.max(0, iterations - iteration));
    }

    long runMs() {
        return runMsBefore + (System.nanoTime() - startedNanos) / 1_000_000;
    }

    synchronized long iteration() {
        return started ? iteration : stored.iteration();
    }

    synchronized Double latestLoss() {
        return loss;
    }

    private void ensureCapacity(int size) {
        if (size > tail.length) {
            tail = Arrays.copyOf(tail, Math.max(size, tail.length * 2));
        }
    }
}
