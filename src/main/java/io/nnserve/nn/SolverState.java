package io.nnserve.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public record SolverState(int epochsDone, int iteration, double learningRate, NetworkParameters parameters) {

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(epochsDone);
            out.writeInt(iteration);
            out.writeDouble(learningRate);
            out.writeInt(parameters.inputSize());
            out.writeInt(parameters.hiddenSize());
            out.writeInt(parameters.numClasses());
            for (double[] a : new double[][] {parameters.w1(), parameters.b1(), parameters.w2(), parameters.b2()}) {
                for (double v : a) {
                    out.writeDouble(v);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SolverState fromBytes(byte[] b) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
            int epochs = in.readInt();
            int iteration = in.readInt();
            double lr = in.readDouble();
            int d = in.readInt();
            int h = in.readInt();
            int c = in.readInt();
            double[][] arrays = {new double[d * h], new double[h], new double[h * c], new double[c]};
            for (double[] a : arrays) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readDouble();
                }
            }
            return new SolverState(epochs, iteration, lr, new NetworkParameters(d, h, c, arrays[0], arrays[1], arrays[2], arrays[3]));
        } catch (IOException e) {
            throw new IllegalArgumentException("damaged solver state", e);
        }
    }
}
