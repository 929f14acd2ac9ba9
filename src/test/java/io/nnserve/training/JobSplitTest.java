package io.nnserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import io.nnserve.nn.Samples;
import org.junit.jupiter.api.Test;

class JobSplitTest {

    /** Rows 0..n-1 whose only value is their own index, so a view tells which rows it holds. */
    private static Samples numbered(int n) {
        float[] values = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
            labels[i] = i % 3;
        }
        return new Samples(n, 1, 3, values, labels);
    }

    private static int[] rowsOf(Samples part) {
        int[] rows = new int[part.rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (int) part.value(i, 0);
            assertThat(part.labels()[i]).isEqualTo(rows[i] % 3);
        }
        return rows;
    }

    @Test
    void partitionsTheRowsAtRandomInDatasetOrderAndRepeatsForTheSameSeed() {
        Samples all = numbered(1000);
        Samples[] split = JobRunner.split(all, 0.2, 7);
        int[] train = rowsOf(split[0]);
        int[] validation = rowsOf(split[1]);
        assertThat(validation).hasSize(200);
        assertThat(train).hasSize(800).isSorted();
        assertThat(validation).isSorted();
        Set<Integer> seen = new HashSet<>();
        for (int r : train) {
            seen.add(r);
        }
        for (int r : validation) {
            assertThat(seen.add(r)).as("row %d in both parts", r).isTrue();
        }
        assertThat(seen).hasSize(1000);
        // not simply the last fifth: the held-out rows are drawn at random
        assertThat(validation[0]).isLessThan(800);
        assertThat(rowsOf(JobRunner.split(all, 0.2, 7)[1])).containsExactly(validation);
        assertThat(rowsOf(JobRunner.split(all, 0.2, 8)[1])).isNotEqualTo(validation);
    }
}
