package io.nnserve.nn;

import org.ojalgo.matrix.store.R064Store;

/**
 * An update rule with its per-parameter state. Lifecycle (after Tribuo's optimisers): {@link #create} makes fresh
 * state for one run, {@link #update} takes one step on all four parameters, {@link #state()}/{@link #restore}
 * carry the state through a checkpoint. It never touches anything but the parameters it is handed.
 */
abstract class UpdateRule {

    static final double RMSPROP_DECAY = 0.99;
    static final double ADAM_BETA1 = 0.9;
    static final double ADAM_BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    /** Per-parameter buffers (one Params per kind of buffer: momentum's velocity, Adam's m and v). */
    final Params[] buffers;
    /** Updates taken so far (Adam's t). */
    long steps;

    private UpdateRule(Params shape, int bufferCount) {
        buffers = new Params[bufferCount];
        for (int k = 0; k < bufferCount; k++) {
            buffers[k] = Params.zerosLike(shape);
        }
    }

    static UpdateRule create(UpdateRuleKind kind, double momentum, Params shape) {
        return switch (kind) {
            case SGD -> new Sgd(shape);
            case MOMENTUM -> new Momentum(shape, momentum);
            case RMSPROP -> new RmsProp(shape);
            case ADAM -> new Adam(shape);
        };
    }

    /** One step: every parameter store of {@code params} moves along its gradient in {@code grads}. */
    final void update(Params params, Params grads, double learningRate) {
        steps++;
        R064Store[] p = params.stores();
        R064Store[] g = grads.stores();
        for (int k = 0; k < p.length; k++) {
            Layers.checkSameShape(p[k], g[k]);
            step(k, p[k].data, g[k].data, learningRate);
        }
    }

    abstract void step(int parameter, double[] w, double[] dw, double learningRate);

    /** The buffers, one array per (buffer, parameter), in the order buffer-major, parameter W1, b1, W2, b2. */
    final double[][] state() {
        double[][] out = new double[buffers.length * 4][];
        for (int b = 0; b < buffers.length; b++) {
            R064Store[] stores = buffers[b].stores();
            for (int k = 0; k < 4; k++) {
                out[b * 4 + k] = stores[k].data.clone();
            }
        }
        return out;
    }

    final void restore(double[][] state, long steps) {
        if (state.length != buffers.length * 4) {
            throw new IllegalArgumentException("update rule state has " + state.length + " buffers, expected " + buffers.length * 4);
        }
        for (int b = 0; b < buffers.length; b++) {
            R064Store[] stores = buffers[b].stores();
            for (int k = 0; k < 4; k++) {
                double[] source = state[b * 4 + k];
                if (source.length != stores[k].data.length) {
                    throw new IllegalArgumentException("update rule buffer " + (b * 4 + k) + " has " + source.length
                            + " values, expected " + stores[k].data.length);
                }
                System.arraycopy(source, 0, stores[k].data, 0, source.length);
            }
        }
        this.steps = steps;
    }

    /** {@code w -= lr·dw}. */
    static final class Sgd extends UpdateRule {
        Sgd(Params shape) {
            super(shape, 0);
        }

        @Override
        void step(int parameter, double[] w, double[] dw, double learningRate) {
            Elementwise.sgd(w, dw, learningRate);
        }
    }

    /** {@code v = μ·v - lr·dw; w += v}. */
    static final class Momentum extends UpdateRule {
        private final double mu;

        Momentum(Params shape, double mu) {
            super(shape, 1);
            this.mu = mu;
        }

        @Override
        void step(int parameter, double[] w, double[] dw, double learningRate) {
            Elementwise.momentum(w, dw, buffers[0].stores()[parameter].data, mu, learningRate);
        }
    }

    /** {@code c = 0.99·c + 0.01·dw²; w -= lr·dw / (sqrt(c) + 1e-8)}. */
    static final class RmsProp extends UpdateRule {
        RmsProp(Params shape) {
            super(shape, 1);
        }

        @Override
        void step(int parameter, double[] w, double[] dw, double learningRate) {
            Elementwise.rmsprop(w, dw, buffers[0].stores()[parameter].data, RMSPROP_DECAY, learningRate, EPSILON);
        }
    }

    /** Adam with bias correction: {@code m̂ = m / (1 - β1^t)}, {@code v̂ = v / (1 - β2^t)}, {@code w -= lr·m̂ / (sqrt(v̂) + ε)}. */
    static final class Adam extends UpdateRule {
        Adam(Params shape) {
            super(shape, 2);
        }

        @Override
        void step(int parameter, double[] w, double[] dw, double learningRate) {
            double correction1 = 1 - Math.pow(ADAM_BETA1, steps);
            double correction2 = 1 - Math.pow(ADAM_BETA2, steps);
            Elementwise.adam(w, dw, buffers[0].stores()[parameter].data, buffers[1].stores()[parameter].data,
                    ADAM_BETA1, ADAM_BETA2, correction1, correction2, learningRate, EPSILON);
        }
    }
}
