package io.nnserve.nn;

import java.util.Arrays;

/**
 * The four parameter arrays of a two-layer network, as plain row-major doubles: the form in which weights cross
 * the engine's boundary (storage, export, continuing a run). {@code w1} is D x H, {@code b1} is H,
 * {@code w2} is H x C, {@code b2} is C. The constructor checks shapes and finiteness so that no caller can build
 * a network from inconsistent or non-finite numbers.
 */
public record NetworkParameters(int inputSize, int hiddenSize, int numClasses,
                                double[] w1, double[] b1, double[] w2, double[] b2) {

    public NetworkParameters {
        if (inputSize < 1 || hiddenSize < 1 || numClasses < 2) {
            throw new IllegalArgumentException("a network needs inputSize >= 1, hiddenSize >= 1 and numClasses >= 2, got "
                    + inputSize + ", " + hiddenSize + ", " + numClasses);
        }
        checkLength("W1", w1, (long) inputSize * hiddenSize);
        checkLength("b1", b1, hiddenSize);
        checkLength("W2", w2, (long) hiddenSize * numClasses);
        checkLength("b2", b2, numClasses);
    }

    private static void checkLength(String name, double[] values, long expected) {
        if (values == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + expected);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + " value " + i + " is not finite: " + values[i]);
            }
        }
    }

    /** A deep copy: records share their arrays, and training must never write into a stored model's weights. */
    public NetworkParameters copy() {
        return new NetworkParameters(inputSize, hiddenSize, numClasses, w1.clone(), b1.clone(), w2.clone(), b2.clone());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkParameters p && p.inputSize == inputSize && p.hiddenSize == hiddenSize
                && p.numClasses == numClasses && Arrays.equals(p.w1, w1) && Arrays.equals(p.b1, b1)
                && Arrays.equals(p.w2, w2) && Arrays.equals(p.b2, b2);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(w1) + Arrays.hashCode(w2);
    }

    @Override
    public String toString() {
        return "NetworkParameters[" + inputSize + "-" + hiddenSize + "-" + numClasses + "]";
    }
}
