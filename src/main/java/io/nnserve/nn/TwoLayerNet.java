package io.nnserve.nn;

import java.util.SplittableRandom;

/** TEMPORARY stub of the engine API (branch engine replaces it). */
public final class TwoLayerNet {
    private final NetworkParameters parameters;

    private TwoLayerNet(NetworkParameters parameters) {
        this.parameters = parameters;
    }

    public static TwoLayerNet initialize(int inputSize, int hiddenSize, int numClasses, InitKind init, double weightScale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w1 = new double[inputSize * hiddenSize];
        double[] w2 = new double[hiddenSize * numClasses];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = random.nextDouble(-1, 1) * weightScale;
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = random.nextDouble(-1, 1) * weightScale;
        }
        return new TwoLayerNet(new NetworkParameters(inputSize, hiddenSize, numClasses, w1, new double[hiddenSize], w2, new double[numClasses]));
    }

    public static TwoLayerNet of(NetworkParameters parameters) {
        return new TwoLayerNet(parameters.copy());
    }

    public NetworkParameters parameters() {
        return parameters.copy();
    }

    public int inputSize() {
        return parameters.inputSize();
    }

    public int hiddenSize() {
        return parameters.hiddenSize();
    }

    public int numClasses() {
        return parameters.numClasses();
    }
}
