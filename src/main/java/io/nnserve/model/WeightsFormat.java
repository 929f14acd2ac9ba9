package io.nnserve.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Preprocessing;

/**
 * The binary form in which a model's numbers are stored: our own, versioned, checksummed; never Java
 * serialization. Everything that decides a prediction's numbers (the four parameter arrays and the preprocessing)
 * is inside the checksum, so a damaged row can never be served as a model that answers wrong numbers.
 *
 * <pre>
 * offset  size  field (all integers little-endian)
 *      0     4  magic "NNSW" (0x4E 0x4E 0x53 0x57)
 *      4     2  format version, unsigned (1)
 *      6     1  element type of the parameters: 1 = float64, 2 = float32
 *      7     1  preprocessing kind: 0 = none, 1 = scale, 2 = standardize
 *      8     4  D, input size (int32)
 *     12     4  H, hidden size (int32)
 *     16     4  C, number of classes (int32)
 *     20     .  W1 (D x H, row-major), b1 (H), W2 (H x C, row-major), b2 (C), in the element type, little-endian
 *      .     .  preprocessing offset (D), then scale (D), always float64 little-endian
 *  end-32   32  SHA-256 of every byte before it
 * </pre>
 *
 * A reader accepts every version it knows (only 1 so far) and refuses newer ones by name; a test reads a file
 * written in version 1 and committed to the repository, so later versions keep reading old models.
 */
final class WeightsFormat {

    static final int VERSION = 1;
    static final int HEADER_BYTES = 20;
    static final int CHECKSUM_BYTES = 32;
    private static final byte[] MAGIC = {'N', 'N', 'S', 'W'};

    /** How the parameter arrays are stored. float32 halves the size of a model trained in float32 precision. */
    enum ElementType {
        FLOAT64(1, Double.BYTES),
        FLOAT32(2, Float.BYTES);

        final int code;
        final int bytes;

        ElementType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        static ElementType ofCode(int code) {
            for (ElementType type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            return null;
        }
    }

    /** What a stored blob holds. */
    record StoredWeights(NetworkParameters parameters, Preprocessing preprocessing, ElementType elementType) {
    }

    /** The stored bytes cannot be trusted; the message says why, in words a user can read. */
    static final class DamagedWeightsException extends Exception {
        DamagedWeightsException(String message) {
            super(message);
        }
    }

    private WeightsFormat() {
    }

    /**
     * The smallest element type that holds these parameters exactly: float32 when every value is a float (as
     * after float32 training), float64 otherwise. Storing never rounds a weight.
     */
    static ElementType losslessType(NetworkParameters p) {
        return fitsFloat(p.w1()) && fitsFloat(p.b1()) && fitsFloat(p.w2()) && fitsFloat(p.b2())
                ? ElementType.FLOAT32 : ElementType.FLOAT64;
    }

    private static boolean fitsFloat(double[] values) {
        for (double v : values) {
            if ((double) (float) v != v) {
                return false;
            }
        }
        return true;
    }

    static byte[] encode(NetworkParameters p, Preprocessing preprocessing, ElementType type) {
        if (preprocessing.features() != p.inputSize()) {
            throw new IllegalArgumentException("preprocessing has " + preprocessing.features()
                    + " features but the network takes " + p.inputSize());
        }
        if (type == ElementType.FLOAT32 && losslessType(p) != ElementType.FLOAT32) {
            throw new IllegalArgumentException("these parameters are not all float32 values; storing them as float32 would round them");
        }
        long parameterCount = parameterCount(p.inputSize(), p.hiddenSize(), p.numClasses());
        long size = HEADER_BYTES + parameterCount * type.bytes + 2L * Double.BYTES * p.inputSize() + CHECKSUM_BYTES;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a model of " + parameterCount + " parameters is too large to store");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        out.putShort((short) VERSION);
        out.put((byte) type.code);
        out.put((byte) kindCode(preprocessing.kind()));
        out.putInt(p.inputSize()).putInt(p.hiddenSize()).putInt(p.numClasses());
        for (double[] values : new double[][] {p.w1(), p.b1(), p.w2(), p.b2()}) {
            putAll(out, values, type);
        }
        putAll(out, preprocessing.offset(), ElementType.FLOAT64);
        putAll(out, preprocessing.scale(), ElementType.FLOAT64);
        out.put(sha256(out.array(), out.position()));
        return out.array();
    }

    private static void putAll(ByteBuffer out, double[] values, ElementType type) {
        if (type == ElementType.FLOAT64) {
            out.asDoubleBuffer().put(values);
        } else {
            float[] floats = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                floats[i] = (float) values[i];
            }
            out.asFloatBuffer().put(floats);
        }
        out.position(out.position() + values.length * type.bytes);
    }

    /**
     * Reads a blob written by any known version. The checksum is verified before anything else is believed, so
     * a flipped bit anywhere (header included) is reported as damage rather than as a strange shape.
     */
    static StoredWeights decode(byte[] bytes) throws DamagedWeightsException {
        if (bytes == null || bytes.length < HEADER_BYTES + CHECKSUM_BYTES) {
            throw new DamagedWeightsException("its stored weights are truncated (" + (bytes == null ? 0 : bytes.length)
                    + " bytes, a model needs at least " + (HEADER_BYTES + CHECKSUM_BYTES) + ")");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new DamagedWeightsException("its stored weights do not start with the nnserve weights marker");
            }
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int version = Short.toUnsignedInt(in.getShort(4));
        if (version != VERSION) {
            // Deliberately before the checksum: a newer layout may checksum differently.
            throw new DamagedWeightsException("its stored weights are in format version " + version
                    + ", and this server reads version " + VERSION + " (was it written by a newer nnserve?)");
        }
        int payloadEnd = bytes.length - CHECKSUM_BYTES;
        if (!MessageDigest.isEqual(sha256(bytes, payloadEnd), Arrays.copyOfRange(bytes, payloadEnd, bytes.length))) {
            throw new DamagedWeightsException("its stored weights fail the SHA-256 checksum");
        }
        ElementType type = ElementType.ofCode(bytes[6]);
        Preprocessing.Kind kind = kindOfCode(bytes[7]);
        int d = in.getInt(8);
        int h = in.getInt(12);
        int c = in.getInt(16);
        if (type == null || kind == null || d < 1 || h < 1 || c < 2) {
            throw new DamagedWeightsException("its stored weights have an impossible header (element type " + bytes[6]
                    + ", preprocessing " + bytes[7] + ", shape " + d + "-" + h + "-" + c + ")");
        }
        long expected = HEADER_BYTES + parameterCount(d, h, c) * type.bytes + 2L * Double.BYTES * d + CHECKSUM_BYTES;
        if (expected != bytes.length) {
            throw new DamagedWeightsException("its stored weights hold " + bytes.length + " bytes where shape "
                    + d + "-" + h + "-" + c + " needs " + expected);
        }
        in.position(HEADER_BYTES);
        try {
            NetworkParameters parameters = new NetworkParameters(d, h, c, take(in, d * h, type), take(in, h, type),
                    take(in, h * c, type), take(in, c, type));
            Preprocessing preprocessing = new Preprocessing(kind, take(in, d, ElementType.FLOAT64),
                    take(in, d, ElementType.FLOAT64));
            return new StoredWeights(parameters, preprocessing, type);
        } catch (IllegalArgumentException e) {
            // Checksummed yet invalid (non-finite values): written by a faulty writer; still not to be served.
            throw new DamagedWeightsException("its stored weights are invalid: " + e.getMessage());
        }
    }

    private static double[] take(ByteBuffer in, int count, ElementType type) {
        double[] values = new double[count];
        if (type == ElementType.FLOAT64) {
            in.asDoubleBuffer().get(values);
        } else {
            float[] floats = new float[count];
            in.asFloatBuffer().get(floats);
            for (int i = 0; i < count; i++) {
                values[i] = floats[i];
            }
        }
        in.position(in.position() + count * type.bytes);
        return values;
    }

    /** Fixed codes, independent of the enum's declaration order. */
    private static int kindCode(Preprocessing.Kind kind) {
        return switch (kind) {
            case NONE -> 0;
            case SCALE -> 1;
            case STANDARDIZE -> 2;
        };
    }

    private static Preprocessing.Kind kindOfCode(int code) {
        return switch (code) {
            case 0 -> Preprocessing.Kind.NONE;
            case 1 -> Preprocessing.Kind.SCALE;
            case 2 -> Preprocessing.Kind.STANDARDIZE;
            default -> null;
        };
    }

    private static long parameterCount(int d, int h, int c) {
        return (long) d * h + h + (long) h * c + c;
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
