package io.nnserve.prediction;

import tools.jackson.databind.JsonNode;

/**
 * A deliberately plain forward pass over an exported model document, written from the formula in DESIGN.md and
 * sharing no code with the engine: the oracle the prediction tests compare against.
 */
final class ReferenceForward {

    private ReferenceForward() {
    }

    static double[] scores(JsonNode model, double[] x) {
        int d = model.get("inputSize").intValue();
        int h = model.get("hiddenSize").intValue();
        int c = model.get("numClasses").intValue();
        JsonNode pre = model.get("preprocessing");
        double[] z = new double[d];
        for (int j = 0; j < d; j++) {
            z[j] = (x[j] - pre.get("offset").get(j).doubleValue()) / pre.get("scale").get(j).doubleValue();
        }
        double[] hidden = new double[h];
        for (int k = 0; k < h; k++) {
            double sum = model.get("b1").get(k).doubleValue();
            for (int j = 0; j < d; j++) {
                sum += z[j] * model.get("W1").get(j).get(k).doubleValue();
            }
            hidden[k] = Math.max(0.0, sum);
        }
        double[] scores = new double[c];
        for (int m = 0; m < c; m++) {
            double sum = model.get("b2").get(m).doubleValue();
            for (int k = 0; k < h; k++) {
                sum += hidden[k] * model.get("W2").get(k).get(m).doubleValue();
            }
            scores[m] = sum;
        }
        return scores;
    }

    static double[] softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        double[] p = new double[scores.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(scores[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
