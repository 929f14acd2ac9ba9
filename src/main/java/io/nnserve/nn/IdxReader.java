package io.nnserve.nn;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the MNIST IDX format (unsigned-byte images {@code idx3} and labels {@code idx1}, as used by MNIST and
 * Fashion-MNIST) from a stream, gzipped or raw. Gzip is recognised by its magic bytes, not by a file name, and is
 * decompressed as a stream under a byte limit, so a gzip bomb stops at the limit instead of filling memory.
 * The header's dimensions are checked against the limit before anything is allocated, and against the bytes that
 * actually follow: a short or overlong file is an error, never silently padded or cut.
 *
 * <p>Every failure is an {@link InvalidIdxException} (the data is not what it claims to be) or a
 * {@link TooLargeException} (the data is bigger than the caller allows), with a message a user can act on.
 * Read errors of the underlying stream itself stay {@link IOException}s.
 */
public final class IdxReader {

    /** Magic number of an unsigned-byte file with 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte file with 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {
    }

    /**
     * Images as unsigned bytes, {@code count x rows x cols} in row-major order (image after image, each row after
     * row), exactly as stored in the file.
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {

        public Images {
            if ((long) count * rows * cols != pixels.length) {
                throw new IllegalArgumentException("expected " + (long) count * rows * cols + " pixels, got " + pixels.length);
            }
        }

        /** Features per image when each is flattened to one row ({@code rows * cols}, 784 for 28x28). */
        public int features() {
            return rows * cols;
        }

        /** The grey value 0..255 of one pixel. */
        public int pixel(int image, int row, int col) {
            return pixels[(image * rows + row) * cols + col] & 0xFF;
        }
    }

    /** The input is not a well-formed IDX file of the expected kind. */
    public static class InvalidIdxException extends RuntimeException {
        public InvalidIdxException(String message) {
            super(message);
        }
    }

    /** The input (declared or decompressed) is larger than the caller's byte limit. */
    public static class TooLargeException extends RuntimeException {
        private final long limit;

        public TooLargeException(String message, long limit) {
            super(message);
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * Reads an images file ({@code idx3-ubyte}, gzipped or raw).
     *
     * @param maxBytes the most bytes the decompressed file may hold, header included
     */
    public static Images readImages(InputStream in, long maxBytes) throws IOException {
        return readImages(in, maxBytes, (count, rows, cols) -> { });
    }

    /** Checks an images file's dimensions before its pixels are allocated; throws to refuse them. */
    @FunctionalInterface
    public interface DimensionsCheck {
        void check(int count, int rows, int cols);
    }

    /**
     * Reads an images file ({@code idx3-ubyte}, gzipped or raw), letting the caller refuse its declared dimensions
     * (more rows or features than it accepts) before anything is allocated.
     *
     * @param maxBytes the most bytes the decompressed file may hold, header included
     */
    public static Images readImages(InputStream in, long maxBytes, DimensionsCheck check) throws IOException {
        InputStream data = decompressed(in, maxBytes, "images file");
        int magic = readMagic(data, "images");
        if (magic != IMAGES_MAGIC) {
            throw new InvalidIdxException(wrongMagic("images", magic, IMAGES_MAGIC, "idx3-ubyte",
                    magic == LABELS_MAGIC ? " (that is a labels file: were the 'images' and 'labels' parts swapped?)" : ""));
        }
        int count = readDimension(data, "images", "image count");
        int rows = readDimension(data, "images", "rows per image");
        int cols = readDimension(data, "images", "columns per image");
        long size = (long) count * rows * cols;
        long total = 16 + size;
        if (total > maxBytes) {
            throw new TooLargeException("The images file declares " + count + " images of " + rows + "x" + cols
                    + " pixels (" + total + " bytes), more than the limit of " + maxBytes + " bytes.", maxBytes);
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new TooLargeException("The images file declares " + size + " pixels; at most "
                    + (Integer.MAX_VALUE - 8) + " can be read at once.", maxBytes);
        }
        check.check(count, rows, cols);
        byte[] pixels = readBody(data, (int) size, "images",
                count + " images of " + rows + "x" + cols + " pixels");
        return new Images(count, rows, cols, pixels);
    }

    /**
     * Reads a labels file ({@code idx1-ubyte}, gzipped or raw): one class index 0..255 per item.
     *
     * @param maxBytes the most bytes the decompressed file may hold, header included
     */
    public static int[] readLabels(InputStream in, long maxBytes) throws IOException {
        InputStream data = decompressed(in, maxBytes, "labels file");
        int magic = readMagic(data, "labels");
        if (magic != LABELS_MAGIC) {
            throw new InvalidIdxException(wrongMagic("labels", magic, LABELS_MAGIC, "idx1-ubyte",
                    magic == IMAGES_MAGIC ? " (that is an images file: were the 'images' and 'labels' parts swapped?)" : ""));
        }
        int count = readDimension(data, "labels", "label count");
        long total = 8L + count;
        if (total > maxBytes) {
            throw new TooLargeException("The labels file declares " + count + " labels (" + total
                    + " bytes), more than the limit of " + maxBytes + " bytes.", maxBytes);
        }
        byte[] raw = readBody(data, count, "labels", count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = raw[i] & 0xFF;
        }
        return labels;
    }

    /**
     * Reads an images file and its labels file into engine samples: each image becomes one row of
     * {@code rows * cols} grey values 0..255, the number of classes is the largest label + 1.
     */
    public static Samples readSamples(InputStream images, InputStream labels, long maxBytes) throws IOException {
        Images read = readImages(images, maxBytes);
        int[] classes = readLabels(labels, maxBytes);
        if (classes.length != read.count()) {
            throw new InvalidIdxException("The images file holds " + read.count() + " images but the labels file "
                    + classes.length + " labels; they must be the same pair of files.");
        }
        int max = 0;
        for (int label : classes) {
            max = Math.max(max, label);
        }
        if (max < 1) {
            throw new InvalidIdxException("Every label is 0: a dataset needs at least 2 classes.");
        }
        return Samples.ofUnsignedBytes(read.count(), read.features(), max + 1, read.pixels(), classes);
    }

    /**
     * Buffers the stream and, when it starts with the gzip magic bytes, decompresses it; either way at most
     * {@code maxBytes} are delivered (more -> {@link TooLargeException}), and a damaged or cut-off gzip stream is an
     * {@link InvalidIdxException}. Used for IDX files here and for any other upload that may arrive gzipped.
     *
     * @param what names the input in messages ("images file", "CSV upload")
     */
    public static InputStream decompressed(InputStream in, long maxBytes, String what) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(ARCHIVE_MAGIC_BYTES);
        byte[] start = buffered.readNBytes(ARCHIVE_MAGIC_BYTES);
        buffered.reset();
        int first = start.length > 0 ? start[0] & 0xFF : -1;
        int second = start.length > 1 ? start[1] & 0xFF : -1;
        String format = otherCompression(start);
        if (format != null) {
            throw new InvalidIdxException("The " + what + " is " + format + "; nnserve reads files as they are or"
                    + " gzip-compressed: extract the file and send it (gzip it if it is large).");
        }
        if (first == 0x1f && second == 0x8b) {
            GZIPInputStream gzip;
            try {
                gzip = new GZIPInputStream(buffered, BUFFER);
            } catch (ZipException | EOFException e) {
                throw new InvalidIdxException("The " + what + " starts like gzip but its gzip header is damaged or cut off.");
            }
            return new Limited(gzip, maxBytes, what, true);
        }
        return new Limited(buffered, maxBytes, what, false);
    }

    private static final int ARCHIVE_MAGIC_BYTES = 6;

    /** Archives and compressions people download data in, by their magic bytes; null for anything else. */
    private static String otherCompression(byte[] start) {
        if (startsWith(start, 0x50, 0x4B, 0x03, 0x04) || startsWith(start, 0x50, 0x4B, 0x05, 0x06)) {
            return "a ZIP archive";
        }
        if (startsWith(start, 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00)) {
            return "xz-compressed";
        }
        // "BZh", the block size '1'..'9', then the first block's magic: text does not start like that
        if (startsWith(start, 0x42, 0x5A, 0x68) && start.length >= 6 && start[3] >= '1' && start[3] <= '9'
                && start[4] == 0x31 && start[5] == 0x41) {
            return "bzip2-compressed";
        }
        if (startsWith(start, 0x28, 0xB5, 0x2F, 0xFD)) {
            return "zstd-compressed";
        }
        if (startsWith(start, 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C)) {
            return "a 7z archive";
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, int... magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static int readMagic(InputStream in, String what) throws IOException {
        byte[] header = new byte[4];
        int n = readAtMost(in, header, 0, 4, what);
        if (n == 0) {
            throw new InvalidIdxException("The " + what + " file is empty.");
        }
        if (n < 4) {
            throw new InvalidIdxException("The " + what + " file is only " + n + " bytes long; an IDX file starts with a 4-byte magic number.");
        }
        return toInt(header);
    }

    private static int readDimension(InputStream in, String what, String name) throws IOException {
        byte[] b = new byte[4];
        if (readAtMost(in, b, 0, 4, what) < 4) {
            throw new InvalidIdxException("The " + what + " file ends inside its header (while reading the " + name + ").");
        }
        int value = toInt(b);
        if (value <= 0) {
            throw new InvalidIdxException("The " + what + " file declares " + (value & 0xFFFFFFFFL) + " as its " + name
                    + "; it must be between 1 and " + Integer.MAX_VALUE + ".");
        }
        return value;
    }

    private static byte[] readBody(InputStream in, int size, String what, String declared) throws IOException {
        byte[] body = new byte[size];
        int n = readAtMost(in, body, 0, size, what);
        if (n < size) {
            throw new InvalidIdxException("The " + what + " file is truncated: its header declares " + declared
                    + " (" + size + " data bytes) but only " + n + " follow.");
        }
        if (readAtMost(in, new byte[1], 0, 1, what) != 0) {
            throw new InvalidIdxException("The " + what + " file has more data than its header declares (" + declared
                    + ", " + size + " data bytes): the dimensions do not match the file.");
        }
        return body;
    }

    /** Reads until {@code len} bytes or the end of the stream. */
    private static int readAtMost(InputStream in, byte[] b, int off, int len, String what) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static String wrongMagic(String what, int magic, int expected, String format, String hint) {
        String got = String.format("0x%08X", magic);
        String reason;
        if ((magic >>> 16) != 0) {
            reason = "this is not an IDX file";
        } else if (((magic >>> 8) & 0xFF) != UNSIGNED_BYTE) {
            reason = "only unsigned-byte IDX data (type 0x08) is supported";
        } else {
            reason = "it has " + (magic & 0xFF) + " dimension(s)";
        }
        return "The " + what + " file starts with magic number " + got + " but an " + format + " file starts with "
                + String.format("0x%08X", expected) + ": " + reason + hint + ".";
    }

    /** Counts bytes as they are read and stops with TooLargeException past the limit. */
    private static final class Limited extends FilterInputStream {
        private final long limit;
        private final String what;
        private final boolean gzipped;
        private long count;

        Limited(InputStream in, long limit, String what, boolean gzipped) {
            super(in);
            this.limit = limit;
            this.what = what;
            this.gzipped = gzipped;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (EOFException e) {
                if (!gzipped) {
                    throw e;
                }
                throw new InvalidIdxException("The gzipped " + what + " is truncated: the compressed stream ends early.");
            } catch (ZipException e) {
                throw new InvalidIdxException("The gzipped " + what + " is damaged: its compressed data cannot be decoded.");
            }
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, BUFFER)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }


        private void add(int n) {
            count += n;
            if (count > limit) {
                throw new TooLargeException("The " + what + " " + (gzipped ? "decompresses to" : "holds")
                        + " more than the limit of " + limit + " bytes.", limit);
            }
        }
    }
}
