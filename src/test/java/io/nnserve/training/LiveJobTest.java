package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LiveJobTest {

    private static LiveJob withLosses(int count) {
        LiveJob job = new LiveJob("j", "t", 1, 1000, 0);
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
}
