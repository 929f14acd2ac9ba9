#!/usr/bin/env python3
"""Writes src/main/java/io/nnserve/nn/Elementwise32.java, the float mirror of Elementwise.java.

Java has no generics over primitive types, so the single-precision passes are the double ones with another element
type. Edit Elementwise.java, then run: python3 bench/gen_elementwise32.py
"""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NN = os.path.join(ROOT, "src", "main", "java", "io", "nnserve", "nn")

with open(os.path.join(NN, "Elementwise.java")) as f:
    s = f.read()
# the gather widens floats to doubles; in single precision it is a plain vector loop
start = s.index("    /**\n     * One row of the minibatch gather")
end = s.index("    /**\n     * Affine-ReLU's elementwise half")
s = s[:start] + '''    /**
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
    static boolean needsWideGather(DOUBLE_T[] offset, DOUBLE_T[] scale) {
        for (int j = 0; j < offset.length; j++) {
            DOUBLE_T inverse = 1 / scale[j];
            boolean cancels = Math.abs(offset[j]) > 1e3 * scale[j] && (DOUBLE_T) (float) offset[j] != offset[j];
            if (Math.abs(offset[j]) > 1e30 || scale[j] > 1e30 || !(inverse <= 1e30 && inverse >= Float.MIN_NORMAL)
                    || cancels) {
                return true;
            }
        }
        return false;
    }

    /** One row of the gather computed in 64 bits and rounded once: {@link #needsWideGather}'s columns. */
    static void gatherRowWide(float[] values, int src, DOUBLE_T[] offset, DOUBLE_T[] inverse, float[] target,
                              int dst, int from, int to) {
        for (int j = from; j < to; j++) {
            target[dst + j] = (float) ((values[src + j] - offset[j]) * inverse[j]);
        }
    }

''' + s[end:]
s = s.replace("import jdk.incubator.vector.DoubleVector;\n", "")
s = re.sub(r"    /\*\* Floats of the same vector width.*?\n.*?FLOATS = Gemm32.S;\n", "", s, flags=re.S)
s = s.replace("DoubleVector", "FloatVector").replace("VectorSpecies<Double>", "VectorSpecies<Float>")
s = s.replace("Gemm64", "Gemm32")
s = re.sub(r"\bdouble\b", "float", s)
s = re.sub(r"    /\*\*\n     \* Bytes that widen to whole float vectors.*?BYTE_PARTS = BYTES.length\(\) / FLOATS.length\(\);\n",
           """    /**
     * Bytes that widen to whole float vectors: one byte per lane of {@link #S} (at least 64 bits, the smallest
     * vector shape, whose lanes then fill {@link #BYTE_PARTS} float vectors).
     */
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 4)));
    private static final int BYTE_PARTS = BYTES.length() / V;
""", s, flags=re.S)
s = s.replace("0.0", "0f")
s = s.replace("Math.sqrt(c[i])", "(float) Math.sqrt(c[i])").replace("Math.sqrt(vHat)", "(float) Math.sqrt(vHat)")
# the wide gather's offsets and inverse scales stay double (the word would have become float above)
s = s.replace("DOUBLE_T", "double")
s = s.replace("final class Elementwise ", "final class Elementwise32 ").replace("private Elementwise()", "private Elementwise32()")
doc_start = s.index("/**\n * The elementwise passes")
doc_end = s.index("final class Elementwise32")
s = s[:doc_start] + '''/**
 * {@link Elementwise} in single precision, for training with {@link Precision#FLOAT32}: the same passes on
 * column-major float arrays, with the float kernel's vector width ({@link Gemm32#S}). Generated from
 * Elementwise.java by {@code bench/gen_elementwise32.py}: edit that file and regenerate.
 */
''' + s[doc_end:]
with open(os.path.join(NN, "Elementwise32.java"), "w") as f:
    f.write(s)
