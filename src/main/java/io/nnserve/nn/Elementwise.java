package io.nnserve.nn;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise passes of a training step on column-major double arrays, vectorized with the same vector width
 * as the matrix kernel ({@link Gemm64#S}). Once the products are fast these passes and the minibatch gather are
 * what is left, so each does its work in one pass over memory: bias with ReLU, ReLU's backward pass with the bias
 * gradient, the L2/L1 penalty with its gradient. Sums are accumulated in vector lanes (a fixed order, so results
 * repeat bit for bit). {@link Elementwise32} is generated from this file ({@code bench/gen_elementwise32.py}).
 */
final class Elementwise {

    private static final VectorSpecies<Double> S = Gemm64.S;
    private static final int V = S.length();
    /** Floats of the same vector width: two double vectors' worth. */
    private static final VectorSpecies<Float> FLOATS = Gemm32.S;
    /**
     * Bytes that widen to whole float vectors: one byte per lane of {@link #FLOATS} (at least 64 bits, the smallest
     * vector shape, whose lanes then fill {@link #BYTE_PARTS} float vectors). Bytes widen to floats, then floats to
     * doubles: measured twice as fast as widening bytes to doubles directly, which C2 does no better than scalar code.
     */
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, FLOATS.vectorBitSize() / 4)));
    private static final int BYTE_PARTS = BYTES.length() / FLOATS.length();

    private Elementwise() {
    }

    /**
     * One row of the minibatch gather, its features {@code [from, to)}:
     * {@code target[dst + j] = (values[src + j] - offset[j]) * inverse[j]}, the floats widened to doubles a vector at
     * a time (each float vector gives two double vectors of the same width, so the one vector width holds).
     */
    static void gatherRow(float[] values, int src, double[] offset, double[] inverse, double[] target, int dst,
                          int from, int to) {
        int floatLanes = FLOATS.length();
        int bound = to - (to - from) % floatLanes;
        int j = from;
        for (; j < bound; j += floatLanes) {
            FloatVector f = FloatVector.fromArray(FLOATS, values, src + j);
            DoubleVector lo = (DoubleVector) f.convertShape(VectorOperators.F2D, S, 0);
            DoubleVector hi = (DoubleVector) f.convertShape(VectorOperators.F2D, S, 1);
            lo.sub(DoubleVector.fromArray(S, offset, j)).mul(DoubleVector.fromArray(S, inverse, j))
                    .intoArray(target, dst + j);
            hi.sub(DoubleVector.fromArray(S, offset, j + V)).mul(DoubleVector.fromArray(S, inverse, j + V))
                    .intoArray(target, dst + j + V);
        }
        for (; j < to; j++) {
            target[dst + j] = (values[src + j] - offset[j]) * inverse[j];
        }
    }

    /**
     * One row of the minibatch gather from unsigned bytes (pixels), its features {@code [from, to)}:
     * {@code target[dst + j] = (values[src + j] - offset[j]) * inverse[j]}. Reading a byte instead of a float per
     * value quarters the memory traffic of the gather, which reads rows scattered over the whole dataset; the bytes
     * are widened a vector at a time (2-7x faster than a scalar loop, which C2 does not vectorize).
     */
    static void gatherRow(byte[] values, int src, double[] offset, double[] inverse, double[] target, int dst,
                          int from, int to) {
        int step = BYTES.length();
        int floatLanes = FLOATS.length();
        int bound = to - (to - from) % step;
        int j = from;
        for (; j < bound; j += step) {
            ByteVector bytes = ByteVector.fromArray(BYTES, values, src + j);
            for (int part = 0; part < BYTE_PARTS; part++) {
                FloatVector f = (FloatVector) bytes.convertShape(VectorOperators.B2F, FLOATS, part);
                f = f.add(256f, f.compare(VectorOperators.LT, 0f)); // Java bytes are signed: -1 is 255
                int at = j + part * floatLanes;
                DoubleVector lo = (DoubleVector) f.convertShape(VectorOperators.F2D, S, 0);
                DoubleVector hi = (DoubleVector) f.convertShape(VectorOperators.F2D, S, 1);
                lo.sub(DoubleVector.fromArray(S, offset, at)).mul(DoubleVector.fromArray(S, inverse, at))
                        .intoArray(target, dst + at);
                hi.sub(DoubleVector.fromArray(S, offset, at + V)).mul(DoubleVector.fromArray(S, inverse, at + V))
                        .intoArray(target, dst + at + V);
            }
        }
        for (; j < to; j++) {
            target[dst + j] = ((values[src + j] & 0xFF) - offset[j]) * inverse[j];
        }
    }

    /**
     * Whether a single-precision gather would lose these columns' data and must compute in double
     * ({@link Elementwise32#needsWideGather}). Never here: this gather computes in double.
     */
    static boolean needsWideGather(double[] offset, double[] scale) {
        return false;
    }

    /** The gather in double, which this precision's gather already is (see {@link Elementwise32#gatherRowWide}). */
    static void gatherRowWide(float[] values, int src, double[] offset, double[] inverse, double[] target, int dst,
                              int from, int to) {
        gatherRow(values, src, offset, inverse, target, dst, from, to);
    }

    /**
     * Affine-ReLU's elementwise half in one pass: {@code a[i, j] += bias[j]} and {@code h[i, j] = max(0, a[i, j])}
     * for N x M column-major arrays.
     */
    static void addBiasAndRelu(double[] a, double[] h, int rows, int cols, double[] bias) {
        int vectorRows = rows - rows % V;
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            double b = bias[j];
            DoubleVector bv = DoubleVector.broadcast(S, b);
            int i = 0;
            for (; i < vectorRows; i += V) {
                DoubleVector v = DoubleVector.fromArray(S, a, base + i).add(bv);
                v.intoArray(a, base + i);
                v.max(0.0).intoArray(h, base + i);
            }
            for (; i < rows; i++) {
                double v = a[base + i] + b;
                a[base + i] = v;
                h[base + i] = v > 0.0 ? v : 0.0;
            }
        }
    }

    /** {@code m[i, j] += bias[j]} for an N x M column-major array. */
    static void addBias(double[] m, int rows, int cols, double[] bias) {
        int vectorRows = rows - rows % V;
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            DoubleVector bv = DoubleVector.broadcast(S, bias[j]);
            int i = 0;
            for (; i < vectorRows; i += V) {
                DoubleVector.fromArray(S, m, base + i).add(bv).intoArray(m, base + i);
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
    static void reluBackwardAndColumnSums(double[] d, double[] h, int rows, int cols, double[] sums) {
        int vectorRows = rows - rows % V;
        DoubleVector zero = DoubleVector.zero(S);
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            DoubleVector acc = zero;
            int i = 0;
            for (; i < vectorRows; i += V) {
                DoubleVector g = DoubleVector.fromArray(S, d, base + i);
                DoubleVector a = DoubleVector.fromArray(S, h, base + i);
                g = g.blend(zero, a.compare(VectorOperators.LE, 0.0));
                g.intoArray(d, base + i);
                acc = acc.add(g);
            }
            double s = acc.reduceLanes(VectorOperators.ADD);
            for (; i < rows; i++) {
                double g = h[base + i] > 0.0 ? d[base + i] : 0.0;
                d[base + i] = g;
                s += g;
            }
            sums[j] = s;
        }
    }

    /** {@code sums[j]} = the sum of column j of an N x M column-major array. */
    static void columnSums(double[] m, int rows, int cols, double[] sums) {
        int vectorRows = rows - rows % V;
        for (int j = 0; j < cols; j++) {
            int base = j * rows;
            DoubleVector acc = DoubleVector.zero(S);
            int i = 0;
            for (; i < vectorRows; i += V) {
                acc = acc.add(DoubleVector.fromArray(S, m, base + i));
            }
            double s = acc.reduceLanes(VectorOperators.ADD);
            for (; i < rows; i++) {
                s += m[base + i];
            }
            sums[j] = s;
        }
    }

    /** L2: returns {@code Σw²} and adds {@code reg·w} to {@code g}, in one pass. */
    static double sumOfSquaresAddScaled(double[] w, double[] g, double reg) {
        return sumOfSquaresAddScaled(w, g, reg, 0, w.length);
    }

    /** L2 on the elements [from, to). */
    static double sumOfSquaresAddScaled(double[] w, double[] g, double reg, int from, int to) {
        int vn = to - (to - from) % V;
        DoubleVector acc = DoubleVector.zero(S);
        int i = from;
        for (; i < vn; i += V) {
            DoubleVector wv = DoubleVector.fromArray(S, w, i);
            // not fma: without the CPU's fused multiply-add (UseFMA off) the Vector API computes it in BigDecimal
            acc = acc.add(wv.mul(wv));
            DoubleVector.fromArray(S, g, i).add(wv.mul(reg)).intoArray(g, i);
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            s += w[i] * w[i];
            g[i] += reg * w[i];
        }
        return s;
    }

    /** L1: returns {@code Σ|w|} and adds {@code reg·sign(w)} to {@code g} (0 at 0), in one pass. */
    static double sumOfAbsAddSign(double[] w, double[] g, double reg) {
        return sumOfAbsAddSign(w, g, reg, 0, w.length);
    }

    /** L1 on the elements [from, to). */
    static double sumOfAbsAddSign(double[] w, double[] g, double reg, int from, int to) {
        double s = 0.0;
        for (int i = from; i < to; i++) {
            s += Math.abs(w[i]);
            g[i] += reg * Math.signum(w[i]);
        }
        return s;
    }

    /** {@code w -= lr·g}. */
    static void sgd(double[] w, double[] g, double lr) {
        sgd(w, g, lr, 0, w.length);
    }

    /** {@code w -= lr·g} on the elements [from, to). */
    static void sgd(double[] w, double[] g, double lr, int from, int to) {
        int vn = to - (to - from) % V;
        int i = from;
        for (; i < vn; i += V) {
            DoubleVector.fromArray(S, w, i).sub(DoubleVector.fromArray(S, g, i).mul(lr)).intoArray(w, i);
        }
        for (; i < to; i++) {
            w[i] -= lr * g[i];
        }
    }

    /** Momentum: {@code v = μ·v - lr·g; w += v}. */
    static void momentum(double[] w, double[] g, double[] v, double mu, double lr) {
        momentum(w, g, v, mu, lr, 0, w.length);
    }

    /** Momentum on the elements [from, to). */
    static void momentum(double[] w, double[] g, double[] v, double mu, double lr, int from, int to) {
        int vn = to - (to - from) % V;
        int i = from;
        for (; i < vn; i += V) {
            DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(mu).sub(DoubleVector.fromArray(S, g, i).mul(lr));
            vv.intoArray(v, i);
            DoubleVector.fromArray(S, w, i).add(vv).intoArray(w, i);
        }
        for (; i < to; i++) {
            v[i] = mu * v[i] - lr * g[i];
            w[i] += v[i];
        }
    }

    /** RMSprop: {@code c = decay·c + (1 - decay)·g²; w -= lr·g / (sqrt(c) + eps)}. */
    static void rmsprop(double[] w, double[] g, double[] c, double decay, double lr, double eps) {
        rmsprop(w, g, c, decay, lr, eps, 0, w.length);
    }

    /** RMSprop on the elements [from, to). */
    static void rmsprop(double[] w, double[] g, double[] c, double decay, double lr, double eps, int from, int to) {
        int vn = to - (to - from) % V;
        int i = from;
        for (; i < vn; i += V) {
            DoubleVector gv = DoubleVector.fromArray(S, g, i);
            DoubleVector cv = DoubleVector.fromArray(S, c, i).mul(decay).add(gv.mul(1 - decay).mul(gv));
            cv.intoArray(c, i);
            DoubleVector step = gv.mul(lr).div(cv.sqrt().add(eps));
            DoubleVector.fromArray(S, w, i).sub(step).intoArray(w, i);
        }
        for (; i < to; i++) {
            c[i] = decay * c[i] + (1 - decay) * g[i] * g[i];
            w[i] -= lr * g[i] / (Math.sqrt(c[i]) + eps);
        }
    }

    /** Adam with bias correction. */
    static void adam(double[] w, double[] g, double[] m, double[] v, double beta1, double beta2,
                     double correction1, double correction2, double lr, double eps) {
        adam(w, g, m, v, beta1, beta2, correction1, correction2, lr, eps, 0, w.length);
    }

    /** Adam on the elements [from, to). */
    static void adam(double[] w, double[] g, double[] m, double[] v, double beta1, double beta2,
                     double correction1, double correction2, double lr, double eps, int from, int to) {
        int vn = to - (to - from) % V;
        int i = from;
        for (; i < vn; i += V) {
            DoubleVector gv = DoubleVector.fromArray(S, g, i);
            DoubleVector mv = DoubleVector.fromArray(S, m, i).mul(beta1).add(gv.mul(1 - beta1));
            DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(beta2).add(gv.mul(1 - beta2).mul(gv));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            DoubleVector mHat = mv.div(correction1);
            DoubleVector vHat = vv.div(correction2);
            DoubleVector.fromArray(S, w, i).sub(mHat.mul(lr).div(vHat.sqrt().add(eps))).intoArray(w, i);
        }
        for (; i < to; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            double mHat = m[i] / correction1;
            double vHat = v[i] / correction2;
            w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }
}
