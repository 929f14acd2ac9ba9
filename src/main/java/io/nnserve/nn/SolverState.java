package io.nnserve.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Everything a run needs to continue after an epoch exactly as if it had not stopped: {@link Solver#resume} from
 * this state gives, bit for bit, the loss history, metrics and weights of the uninterrupted run.
 * {@link #toBytes()} writes a compact, versioned binary form (checked by CRC-32); never Java serialization.
 *
 * @param config                   the run's configuration
 * @param trainRows                rows of the training data (a resume must get the same data)
 * @param epochsDone               epochs finished
 * @param iteration                iterations done ({@code lossHistory.length})
 * @param learningRate             the learning rate of the next epoch (decay already applied)
 * @param rngState                 the state of the run's random generator
 * @param current                  the weights after the last iteration
 * @param updateRuleState          the update rule's per-parameter buffers (engine-internal layout)
 * @param updateRuleSteps          updates taken (Adam's t)
 * @param lossHistory              the loss of every iteration so far
 * @param epochs                   metrics of every finished epoch
 * @param best                     the parameters with the best validation accuracy so far (the last ones without validation)
 * @param bestValAccuracy          their validation accuracy, null without validation
 * @param bestTrainAccuracy        their sampled train accuracy
 * @param epochsWithoutImprovement epochs since the validation accuracy last improved (for early stopping)
 */
public record SolverState(SolverConfig config, int trainRows, int epochsDone, int iteration, double learningRate,
                          long rngState, NetworkParameters current, double[][] updateRuleState, long updateRuleSteps,
                          double[] lossHistory, List<EpochMetrics> epochs, NetworkParameters best,
                          Double bestValAccuracy, double bestTrainAccuracy, int epochsWithoutImprovement) {

    private static final int MAGIC = 0x4E4E5353; // "NNSS"
    private static final short VERSION = 1;

    public SolverState {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(updateRuleState, "updateRuleState");
        Objects.requireNonNull(lossHistory, "lossHistory");
        Objects.requireNonNull(best, "best");
        epochs = List.copyOf(epochs);
        if (lossHistory.length != iteration || epochs.size() != epochsDone || epochsDone > config.epochs()) {
            throw new IllegalArgumentException("inconsistent solver state: " + iteration + " iterations with "
                    + lossHistory.length + " losses, " + epochsDone + " epochs with " + epochs.size() + " metrics");
        }
    }

    /** The state as bytes: magic "NNSS", a format version, the fields big-endian, then a CRC-32 of all before it. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimatedSize());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            writeConfig(out, config);
            out.writeInt(trainRows);
            out.writeInt(epochsDone);
            out.writeInt(iteration);
            out.writeDouble(learningRate);
            out.writeLong(rngState);
            writeParameters(out, current);
            out.writeInt(updateRuleState.length);
            for (double[] buffer : updateRuleState) {
                writeDoubles(out, buffer);
            }
            out.writeLong(updateRuleSteps);
            writeDoubles(out, lossHistory);
            out.writeInt(epochs.size());
            for (EpochMetrics m : epochs) {
                out.writeInt(m.epoch());
                out.writeDouble(m.trainAccuracy());
                writeNullable(out, m.valAccuracy());
                out.writeDouble(m.learningRate());
            }
            writeParameters(out, best);
            writeNullable(out, bestValAccuracy);
            out.writeDouble(bestTrainAccuracy);
            out.writeInt(epochsWithoutImprovement);
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes()} output; anything else (truncated, corrupted, another format) is an IllegalArgumentException. */
    public static SolverState fromBytes(byte[] b) {
        if (b == null || b.length < 10) {
            throw new IllegalArgumentException("not a solver checkpoint: too short");
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        int stored = ((b[b.length - 4] & 0xff) << 24) | ((b[b.length - 3] & 0xff) << 16)
                | ((b[b.length - 2] & 0xff) << 8) | (b[b.length - 1] & 0xff);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, 0, b.length - 4))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a solver checkpoint: wrong magic number");
            }
            short version = in.readShort();
            if (version != VERSION) {
                throw new IllegalArgumentException("solver checkpoint version " + version + " is not supported (this engine reads " + VERSION + ")");
            }
            if ((int) crc.getValue() != stored) {
                throw new IllegalArgumentException("solver checkpoint is corrupted: checksum mismatch");
            }
            SolverConfig config = readConfig(in);
            int trainRows = in.readInt();
            int epochsDone = in.readInt();
            int iteration = in.readInt();
            double learningRate = in.readDouble();
            long rng = in.readLong();
            NetworkParameters current = readParameters(in);
            double[][] ruleState = new double[checkCount(in.readInt(), b.length)][];
            for (int k = 0; k < ruleState.length; k++) {
                ruleState[k] = readDoubles(in, b.length);
            }
            long steps = in.readLong();
            double[] losses = readDoubles(in, b.length);
            int epochCount = checkCount(in.readInt(), b.length);
            List<EpochMetrics> epochs = new ArrayList<>(epochCount);
            for (int k = 0; k < epochCount; k++) {
                epochs.add(new EpochMetrics(in.readInt(), in.readDouble(), readNullable(in), in.readDouble()));
            }
            NetworkParameters best = readParameters(in);
            Double bestVal = readNullable(in);
            double bestTrain = in.readDouble();
            int since = in.readInt();
            if (in.available() != 0) {
                throw new IllegalArgumentException("solver checkpoint has " + in.available() + " unexpected trailing bytes");
            }
            return new SolverState(config, trainRows, epochsDone, iteration, learningRate, rng, current, ruleState,
                    steps, losses, epochs, best, bestVal, bestTrain, since);
        } catch (IOException e) {
            throw new IllegalArgumentException("solver checkpoint is truncated", e);
        }
    }

    private int estimatedSize() {
        long doubles = 2L * (current.w1().length + current.w2().length + current.b1().length + current.b2().length)
                + lossHistory.length + 4L * epochs.size();
        for (double[] buffer : updateRuleState) {
            doubles += buffer.length;
        }
        return (int) Math.min(Integer.MAX_VALUE - 16, 256 + 8 * doubles);
    }

    private static void writeConfig(DataOutputStream out, SolverConfig c) throws IOException {
        out.writeInt(c.epochs());
        out.writeInt(c.batchSize());
        out.writeDouble(c.learningRate());
        out.writeDouble(c.lrDecay());
        out.writeUTF(c.updateRule().wireName());
        out.writeDouble(c.momentum());
        out.writeUTF(c.loss().wireName());
        out.writeDouble(c.svmMargin());
        out.writeUTF(c.regularization().wireName());
        out.writeDouble(c.reg());
        out.writeUTF(c.sampling().wireName());
        out.writeInt(c.earlyStoppingPatience());
        out.writeLong(c.seed());
        out.writeInt(c.trainAccuracySample());
        out.writeUTF(c.precision().wireName());
    }

    private static SolverConfig readConfig(DataInputStream in) throws IOException {
        return new SolverConfig(in.readInt(), in.readInt(), in.readDouble(), in.readDouble(),
                UpdateRuleKind.parse(in.readUTF()), in.readDouble(), LossKind.parse(in.readUTF()), in.readDouble(),
                RegularizationKind.parse(in.readUTF()), in.readDouble(), SamplingKind.parse(in.readUTF()),
                in.readInt(), in.readLong(), in.readInt(), Precision.parse(in.readUTF()));
    }

    private static void writeParameters(DataOutputStream out, NetworkParameters p) throws IOException {
        out.writeInt(p.inputSize());
        out.writeInt(p.hiddenSize());
        out.writeInt(p.numClasses());
        writeDoubles(out, p.w1());
        writeDoubles(out, p.b1());
        writeDoubles(out, p.w2());
        writeDoubles(out, p.b2());
    }

    private static NetworkParameters readParameters(DataInputStream in) throws IOException {
        int d = in.readInt();
        int h = in.readInt();
        int c = in.readInt();
        int limit = in.available();
        return new NetworkParameters(d, h, c, readDoubles(in, limit), readDoubles(in, limit), readDoubles(in, limit),
                readDoubles(in, limit));
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputStream in, int limit) throws IOException {
        int n = checkCount(in.readInt(), limit / 8);
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = in.readDouble();
        }
        return values;
    }

    /** A count read from the bytes cannot exceed what the bytes could hold: guards against huge allocations. */
    private static int checkCount(int n, int limit) {
        if (n < 0 || n > limit) {
            throw new IllegalArgumentException("solver checkpoint is corrupted: count " + n + " out of range");
        }
        return n;
    }

    private static void writeNullable(DataOutputStream out, Double value) throws IOException {
        out.writeBoolean(value != null);
        out.writeDouble(value == null ? 0.0 : value);
    }

    private static Double readNullable(DataInputStream in) throws IOException {
        boolean present = in.readBoolean();
        double value = in.readDouble();
        return present ? value : null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SolverState s && Arrays.equals(s.toBytes(), toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lossHistory) * 31 + Long.hashCode(rngState);
    }

    @Override
    public String toString() {
        return "SolverState[epochsDone=" + epochsDone + ", iteration=" + iteration + ", learningRate=" + learningRate + "]";
    }
}
