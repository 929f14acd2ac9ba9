package io.nnserve.nn;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Elementwise} in single precision, for training with {@link Precision#FLOAT32}: the same passes on
 * column-major float arrays, with the float kernel's vector width ({@link Gemm32#S}). Generated from
 * Elementwise.java by {@code bench/gen_elementwise32.py}: edit that file and regenerate.
 */
final class Elementwise32 {

    private static final VectorSpecies<Float> S = Gemm32.S;
    private static final int V = S.length();
    /**
     * Bytes that widen to whole float vectors: one byte per lane of {@link #S} (at least 64 bits, the smallest
     * vector shape, whose lanes then fill {@link #BYTE_PARTS} float vectors).
     */
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 4)));
    private static final int BYTE_PARTS = BYTES.length() / V;

    private Elementwise32() {
    }

    /**
     * One row of the minibatch gather, its features {@code [from, to)}:
     * {@code target[dst + j] = (values[src + j] - offset[j]) * inverse[j]}.
     */
    static void gatherRow(float[] values, int src, float[] offset, float[] inverse, float[] target, int dst,
                          int from, int to) {
        int bound = to - (to - from) % V;
        int j = from;
        for (; j < bound; j += V) {
            FloatVector.fromArray(S, values, src + j).sub(FloatVector.fromArray(S, offset, j))
                    .mul(FloatVector.fromArray(S, inverse, j)).intoArray(target, dst + j);
        }
        for (; j < to; j++) {
            target[dst + j] = (values[src + j] - offset[j]) * inverse[j];
        }
    }

    /** One row of the minibatch gather from unsigned bytes (pixels), as {@link Elementwise}'s. */
    static void gatherRow(byte[] values, int src, float[] offset, float[] inverse, float[] target, int dst,
                          int from, int to) {
        int step = BYTES.length();
        int bound = to - (to - from) % step;
        int j = from;
        for (; j < bound; j += step) {
            ByteVector bytes = ByteVector.fromArray(BYTES, values, src + j);
            for (int part = 0; part < BYTE_PARTS; part++) {
                FloatVector v = (FloatVector) bytes.convertShape(VectorOperators.B2F, S, part);
                v = v.add(256f, v.compare(VectorOperators.LT, 0f)); // Java bytes are signed: -1 is 255
                int at = j + part * V;
                v.sub(FloatVector.fromArray(S, offset, at)).mul(FloatVector.fromArray(S, inverse, at))
                        .intoArray(target, dst + at);
            }
        }
        for (; j < to; j++) {
            target[dst + j] = ((values[src + j] & 0xFF) - offset[j]) * inverse[j];
        }
    }

    /**
     * Whether the float gather, {@code (x - (float) offset) * (float) (1 / scale)}, would lose these columns' data,
     * so that {@link #gatherRowWide} must compute in 64 bits and round once: an offset or scale beyond 1e30 (x minus
     * the offset could overflow a float), an inverse scale beyond 1e30 or below float's normal range, or an offset
     * that is not a float and lies over 1000 scales from 0 (rounding it to a float would move the centred values by
     * more than 6e-5 of a scale). Ordinary data takes the float path; the dataset's values are floats either way.
     */
    static boolean needsWideGather(double[] offset, double[] scale) {
        for (int j = 0; j < offset.length; j++) {
            double inverse = 1 / scale[j];
            boolean cancels = Math.abs(offset[j]) > 1e3 * scale[j] && (double) (float) offset[j] != offset[j];
            if (Math.abs(offset[j]) > 1e30 || scale[j] > 1e30 || !(inverse <= 1e30 && inverse >= Float.MIN_NORMAL)
                    || cancels) {
                return true;
            }
        }
        return false;
    }

    /** One row of the gather computed in 64 bits and rounded once: {@link #needsWideGather}'s columns. */
    static void gatherRowWide(float[] values, int src, double[] offset, double[] inverse, float[] target,
                              int dst, int from, int to) {
        for (int j = from; j < to; j++) {
            target[dst + j] = (float) ((values[src + j] - offset[j]) * inverse[j]);
        }
    }

    /**
     * Affine-ReLU's elementwise half in one pass: {@code a[i, j] += bias[j]} and {@code h[i, j] = max(0, a[i, j])}
     * for N x M column-major arrays.
     */
    static void addBiasAndRelu(float[] a, float[] h, int rows, int cols, float[] bias) {
        int vectorRows = rows - rows % V;
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            float b = bias[j];
            FloatVector bv = FloatVector.broadcast(S, b);
            int i = 0;
            for (; i < vectorRows; i += V) {
                FloatVector v = FloatVector.fromArray(S, a, base + i).add(bv);
                v.intoArray(a, base + i);
                v.max(0f).intoArray(h, base + i);
            }
            for (; i < rows; i++) {
                float v = a[base + i] + b;
                a[base + i] = v;
                h[base + i] = v > 0f ? v : 0f;
            }
        }
    }

    /** {@code m[i, j] += bias[j]} for an N x M column-major array. */
    static void addBias(float[] m, int rows, int cols, float[] bias) {
        int vectorRows = rows - rows % V;
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            FloatVector bv = FloatVector.broadcast(S, bias[j]);
            int i = 0;
            for (; i < vectorRows; i += V) {
                FloatVector.fromArray(S, m, base + i).add(bv).intoArray(m, base + i);
            }
            for (; i < rows; i++) {
                m[base + i] += bias[j];
            }
        }
    }

    /**
     * ReLU's backward pass fused with the bias gradient: {@code d[i, j] = 0} where {@code h[i, j] <= 0}, and
     * {@code sums[j]} = the column sum of the result.
     */
    static void reluBackwardAndColumnSums(float[] d, float[] h, int rows, int cols, float[] sums) {
        int vectorRows = rows - rows % V;
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            FloatVector acc = zero;
            int i = 0;
            for (; i < vectorRows; i += V) {
                FloatVector g = FloatVector.fromArray(S, d, base + i);
                FloatVector a = FloatVector.fromArray(S, h, base + i);
                g = g.blend(zero, a.compare(VectorOperators.LE, 0f));
                g.intoArray(d, base + i);
                acc = acc.add(g);
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (; i < rows; i++) {
                float g = h[base + i] > 0f ? d[base + i] : 0f;
                d[base + i] = g;
                s += g;
            }
            sums[j] = s;
        }
    }

    /** {@code sums[j]} = the sum of column j of an N x M column-major array. */
    static void columnSums(float[] m, int rows, int cols, float[] sums) {
        int vectorRows = rows - rows % V;
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < vectorRows; i += V) {
                acc = acc.add(FloatVector.fromArray(S, m, base + i));
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (; i < rows; i++) {
                s += m[base + i];
            }
            sums[j] = s;
        }
    }

    /** L2: returns {@code Σw²} and adds {@code reg·w} to {@code g}, in one pass. */
    static float sumOfSquaresAddScaled(float[] w, float[] g, float reg) {
        return sumOfSquaresAddScaled(w, g, reg, 0, w.length);
    }

    /** L2 on the elements [from, to). */
    static float sumOfSquaresAddScaled(float[] w, float[] g, float reg, int from, int to) {
        int vn = to - (to - from) % V;
        FloatVector acc = FloatVector.zero(S);
        int i = from;
        for (; i < vn; i += V) {
            FloatVector wv = FloatVector.fromArray(S, w, i);
            // not fma: without the CPU's fused multiply-add (UseFMA off) the Vector API computes it in BigDecimal
            acc = acc.add(wv.mul(wv));
            FloatVector.fromArray(S, g, i).add(wv.mul(reg)).intoArray(g, i);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            s += w[i] * w[i];
            g[i] += reg * w[i];
        }
        return s;
    }

    /** L1: returns {@code Σ|w|} and adds {@code reg·sign(w)} to {@code g} (0 at 0), in one pass. */
    static float sumOfAbsAddSign(float[] w, float[] g, float reg) {
        return sumOfAbsAddSign(w, g, reg, 0, w.length);
    }

    /** L1 on the elements [from, to). */
    static float sumOfAbsAddSign(float[] w, float[] g, float reg, int from, int to) {
        float s = 0f;
        for (int i = from; i < to; i++) {
            s += Math.abs(w[i]);
            g[i] += reg * Math.signum(w[i]);
        }
        return s;
    }

    /** {@code w -= lr·g}. */
    static void sgd(float[] w, float[] g, float lr) {
        sgd(w, g, lr, 0, w.length);
    }

    /** {@code w -= lr·g} on the elements [from, to). */
    static void sgd(float[] w, float[] g, float lr, int from, int to) {
        int vn = to - (to - from) % V;
        int i = from;
        for (; i < vn; i += V) {
            FloatVector.fromArray(S, w, i).sub(FloatVector.fromArray(S, g, i).mul(lr)).intoArray(w, i);
        }
        for (; i < to; i++) {
            w[i] -= lr * g[i];
        }
    }

    /** Momentum: {@code v = μ·v - lr·g; w += v}. */
    static void momentum(float[] w, float[] g, float[] v, float mu, float lr) {
        momentum(w, g, v, mu, lr, 0, w.length);
    }

    /** Momentum on the elements [from, to). */
    static void momentum(float[] w, float[] g, float[] v, float mu, float lr, int from, int to) {
        int vn = to - (to - from) % V;
        int i = from;
        for (; i < vn; i += V) {
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(mu).sub(FloatVector.fromArray(S, g, i).mul(lr));
            vv.intoArray(v, i);
            FloatVector.fromArray(S, w, i).add(vv).intoArray(w, i);
        }
        for (; i < to; i++) {
            v[i] = mu * v[i] - lr * g[i];
            w[i] += v[i];
        }
    }

    /** RMSprop: {@code c = decay·c + (1 - decay)·g²; w -= lr·g / (sqrt(c) + eps)}. */
    static void rmsprop(float[] w, float[] g, float[] c, float decay, float lr, float eps) {
        rmsprop(w, g, c, decay, lr, eps, 0, w.length);
    }

    /** RMSprop on the elements [from, to). */
    static void rmsprop(float[] w, float[] g, float[] c, float decay, float lr, float eps, int from, int to) {
        int vn = to - (to - from) % V;
        int i = from;
        for (; i < vn; i += V) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector cv = FloatVector.fromArray(S, c, i).mul(decay).add(gv.mul(1 - decay).mul(gv));
            cv.intoArray(c, i);
            FloatVector step = gv.mul(lr).div(cv.sqrt().add(eps));
            FloatVector.fromArray(S, w, i).sub(step).intoArray(w, i);
        }
        for (; i < to; i++) {
            c[i] = decay * c[i] + (1 - decay) * g[i] * g[i];
            w[i] -= lr * g[i] / ((float) Math.sqrt(c[i]) + eps);
        }
    }

    /** Adam with bias correction. */
    static void adam(float[] w, float[] g, float[] m, float[] v, float beta1, float beta2,
                     float correction1, float correction2, float lr, float eps) {
        adam(w, g, m, v, beta1, beta2, correction1, correction2, lr, eps, 0, w.length);
    }

    /** Adam on the elements [from, to). */
    static void adam(float[] w, float[] g, float[] m, float[] v, float beta1, float beta2,
                     float correction1, float correction2, float lr, float eps, int from, int to) {
        int vn = to - (to - from) % V;
        int i = from;
        for (; i < vn; i += V) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector mv = FloatVector.fromArray(S, m, i).mul(beta1).add(gv.mul(1 - beta1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(gv.mul(1 - beta2).mul(gv));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector mHat = mv.div(correction1);
            FloatVector vHat = vv.div(correction2);
            FloatVector.fromArray(S, w, i).sub(mHat.mul(lr).div(vHat.sqrt().add(eps))).intoArray(w, i);
        }
        for (; i < to; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            float mHat = m[i] / correction1;
            float vHat = v[i] / correction2;
            w[i] -= lr * mHat / ((float) Math.sqrt(vHat) + eps);
        }
    }
}
