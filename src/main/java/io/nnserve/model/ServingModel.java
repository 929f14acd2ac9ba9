package io.nnserve.model;

import java.util.List;

import io.nnserve.nn.Precision;
import io.nnserve.nn.Preprocessing;
import io.nnserve.nn.TwoLayerNet;

/**
 * A stored model made ready to predict: the engine's network over the stored weights, the stored preprocessing
 * and the class names. Immutable and shared by every request for the model; the network's forward pass is safe for
 * concurrent callers, so nothing here is locked.
 */
public final class ServingModel {

    private final String id;
    private final TwoLayerNet net;
    private final Preprocessing preprocessing;
    private final List<String> classNames;
    private final String loss;

    ServingModel(String id, TwoLayerNet net, Preprocessing preprocessing, List<String> classNames, String loss) {
        this.id = id;
        this.net = net;
        this.preprocessing = preprocessing;
        this.classNames = List.copyOf(classNames);
        this.loss = loss;
    }

    public String id() {
        return id;
    }

    public int inputSize() {
        return net.inputSize();
    }

    public int numClasses() {
        return net.numClasses();
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The precision of the forward pass: the model's training precision. */
    public Precision precision() {
        return net.precision();
    }

    /** "softmax" or "svm" (an SVM model's probabilities are the softmax of its scores, uncalibrated). */
    public String loss() {
        return loss;
    }

    /**
     * Class scores (rows x C, row-major) for raw feature rows. The rows are preprocessed in place: {@code rows}
     * must be the caller's own buffer (a parsed request), which saves copying a large request once more.
     */
    public double[] scoresInPlace(double[] raw, int rows) {
        if (preprocessing.kind() != Preprocessing.Kind.NONE) {
            int d = preprocessing.features();
            for (int r = 0; r < rows; r++) {
                preprocessing.apply(raw, r * d, raw, r * d);
            }
        }
        return net.scores(raw, rows);
    }

    TwoLayerNet net() {
        return net;
    }

    Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Roughly what the model holds in memory: its parameters as doubles. */
    long weightBytes() {
        long d = net.inputSize();
        long h = net.hiddenSize();
        long c = net.numClasses();
        return Double.BYTES * (d * h + h + h * c + c + 2 * d);
    }
}
