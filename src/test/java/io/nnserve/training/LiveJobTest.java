package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LiveJobTest {

    private static LiveJob withLosses(int count) {
        LiveJob job = new LiveJob("j", "t", 1, 1000, new JobRepository.Progress(0, 0, null, null, null, 0));
        job.startAt(0, new double[0], List.of());
        for (int i = 0; i < count; i++) {
            job.append(i);
        }
        return job;
    }

    @Test
    void lossSinceAPointGivesWhatFollowsIt() {
        assertThat(withLosses(5).lossSince(3).losses()).containsExactly(3.0, 4.0);
        assertThat(withLosses(5).lossSince(0).losses()).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
    }

    /** A resume point past the last iteration asks for nothing yet, however far: no cast may wrap it around. */
    @Test
    void lossSinceAPointBeyondTheHistoryIsEmpty() {
        LiveJob job = withLosses(5);
        for (long since : new long[] {5, 6, Integer.MAX_VALUE, 1L << 31, 1L << 32, (1L << 32) + 2, Long.MAX_VALUE}) {
            assertThat(job.lossSince(since).losses()).as("since %d", since).isEmpty();
        }
    }

    /**
     * A resumed job loads its data and checkpoint before it starts: until then it shows (and its heartbeat stores)
     * the progress it had, not iteration 0, and readers take its loss from the database.
     */
    @Test
    void aClaimedJobShowsItsStoredProgressUntilItStarts() {
        LiveJob job = new LiveJob("j", "t", 10, 1000, new JobRepository.Progress(3, 300, 0.5, 0.8, 0.9, 1234));
        assertThat(job.started()).isFalse();
        assertThat(job.progress()).isEqualTo(new JobRepository.Progress(3, 300, 0.5, 0.8, 0.9, 1234));
        assertThat(job.iteration()).isEqualTo(300);

        job.startAt(200, new double[200], List.of(new JobRepository.EpochRow(1, 0.7, 0.6, 0.1),
                new JobRepository.EpochRow(2, 0.8, 0.7, 0.1)));
        assertThat(job.started()).isTrue();
        assertThat(job.iteration()).isEqualTo(200);
        assertThat(job.progress().epoch()).isEqualTo(2);
    }

    /**
     * A job resumed at iteration 800 of 1000 after 60 s of earlier attempts: its remaining time comes from this
     * attempt's pace, not from 60 s over 800 iterations (that would also count work lost since the checkpoint).
     */
    @Test
    void theRemainingTimeFollowsThisAttemptsPace() throws InterruptedException {
        LiveJob job = new LiveJob("j", "t", 10, 1000, new JobRepository.Progress(8, 900, 0.5, 0.8, 0.9, 60_000));
        assertThat(job.etaMs()).as("not started").isNull();
        job.startAt(800, new double[800], List.of());
        assertThat(job.etaMs()).as("no iteration of this attempt yet").isNull();
        long start = System.nanoTime();
        Thread.sleep(50);
        for (int i = 0; i < 100; i++) {
            job.append(0.1);
        }
        long eta = job.etaMs();
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        // 100 iterations done in this attempt, 100 to go: about the time this attempt has taken so far
        assertThat(eta).isBetween(40L, Math.round(elapsedMs) + 5);
        assertThat(job.runMs()).as("elapsed time still counts every attempt").isGreaterThanOrEqualTo(60_050);
        for (int i = 0; i < 100; i++) {
            job.append(0.1);
        }
        assertThat(job.etaMs()).isZero();
    }
}
