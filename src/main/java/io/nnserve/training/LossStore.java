package io.nnserve.training;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The loss history of a job, stored in chunks of {@link #CHUNK} iterations as little-endian float64 bytes: chunk
 * {@code k} holds iterations {@code k*CHUNK ..}. A run of 100,000 iterations is 100 rows; reading from
 * iteration {@code since} reads only the chunks from {@code since / CHUNK} on. Runs in the caller's transaction.
 */
@Repository
class LossStore {

    static final int CHUNK = 1000;

    private final JdbcClient jdbc;

    LossStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes the iterations {@code first .. first + length - 1}; {@code first} must be a chunk boundary, and the
     * values replace whatever those chunks held (the last one may be partial and is rewritten on the next write).
     */
    void write(String jobId, long first, double[] values, int length) {
        if (first % CHUNK != 0) {
            throw new IllegalArgumentException("loss writes start at a chunk boundary, not at " + first);
        }
        for (int offset = 0; offset < length; offset += CHUNK) {
            int points = Math.min(CHUNK, length - offset);
            int chunk = Math.toIntExact((first + offset) / CHUNK);
            byte[] data = encode(values, offset, points);
            int updated = jdbc.sql("UPDATE job_loss_chunks SET points = ?, data = ? WHERE job_id = ? AND chunk = ?")
                    .params(points, data, jobId, chunk).update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO job_loss_chunks (job_id, chunk, points, data) VALUES (?, ?, ?, ?)")
                        .params(jobId, chunk, points, data).update();
            }
        }
    }

    /** The stored losses of iterations {@code since .. until - 1} (fewer if fewer are stored). */
    double[] read(String jobId, long since, long until) {
        if (until <= since) {
            return new double[0];
        }
        int firstChunk = Math.toIntExact(since / CHUNK);
        int lastChunk = Math.toIntExact((until - 1) / CHUNK);
        List<double[]> chunks = jdbc.sql("SELECT chunk, data FROM job_loss_chunks WHERE job_id = ? AND chunk >= ? "
                        + "AND chunk <= ? ORDER BY chunk")
                .params(jobId, firstChunk, lastChunk)
                .query((rs, i) -> slice((long) rs.getInt("chunk") * CHUNK, decode(rs.getBytes("data")), since, until))
                .list();
        int total = chunks.stream().mapToInt(c -> c.length).sum();
        double[] out = new double[total];
        int at = 0;
        for (double[] c : chunks) {
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        return out;
    }

    /** Losses stored from the chunk that holds {@code iteration} up to (excluding) {@code iteration}. */
    double[] readChunkHead(String jobId, long iteration) {
        long start = iteration - iteration % CHUNK;
        return read(jobId, start, iteration);
    }

    /** Forgets every loss from {@code iteration} on (a resumed job trains those iterations again). */
    void truncate(String jobId, long iteration) {
        int chunk = Math.toIntExact(iteration / CHUNK);
        double[] head = readChunkHead(jobId, iteration);
        jdbc.sql("DELETE FROM job_loss_chunks WHERE job_id = ? AND chunk >= ?").params(jobId, chunk).update();
        if (head.length > 0) {
            write(jobId, (long) chunk * CHUNK, head, head.length);
        }
    }

    private static double[] slice(long start, double[] chunk, long since, long until) {
        int from = (int) Math.max(0, since - start);
        int to = (int) Math.min(chunk.length, until - start);
        return from >= to ? new double[0] : Arrays.copyOfRange(chunk, from, to);
    }

    static byte[] encode(double[] values, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < length; i++) {
            buffer.putDouble(values[offset + i]);
        }
        return buffer.array();
    }

    static double[] decode(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[data.length / Double.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getDouble();
        }
        return values;
    }
}
