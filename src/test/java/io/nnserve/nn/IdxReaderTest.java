package io.nnserve.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

class IdxReaderTest {

    private static final long LIMIT = 1 << 20;

    /** An idx3-ubyte file of {@code count} images whose pixel i has the value i mod 256. */
    static byte[] images(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    static byte[] labels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static InputStream in(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    @Test
    void readsRawImages() throws IOException {
        IdxReader.Images images = IdxReader.readImages(in(images(3, 2, 4)), LIMIT);
        assertThat(images.count()).isEqualTo(3);
        assertThat(images.rows()).isEqualTo(2);
        assertThat(images.cols()).isEqualTo(4);
        assertThat(images.features()).isEqualTo(8);
        // pixel (image 1, row 1, col 2) is byte 8 + 4 + 2 = 14
        assertThat(images.pixel(1, 1, 2)).isEqualTo(14);
        assertThat(images.pixels()[14] & 0xFF).isEqualTo(14);
    }

    @Test
    void pixelsAreUnsigned() throws IOException {
        IdxReader.Images images = IdxReader.readImages(in(images(1, 16, 16)), LIMIT);
        assertThat(images.pixel(0, 15, 15)).isEqualTo(255);
        assertThat(images.pixels()[255] & 0xFF).isEqualTo(255);
    }

    @Test
    void gzippedAndRawGiveTheSameImages() throws IOException {
        byte[] raw = images(5, 28, 28);
        IdxReader.Images plain = IdxReader.readImages(in(raw), LIMIT);
        IdxReader.Images zipped = IdxReader.readImages(in(gzip(raw)), LIMIT);
        assertThat(zipped.count()).isEqualTo(5);
        assertThat(zipped.features()).isEqualTo(784);
        assertThat(zipped.pixels()).isEqualTo(plain.pixels());
    }

    @Test
    void readsLabelsRawAndGzipped() throws IOException {
        assertThat(IdxReader.readLabels(in(labels(0, 9, 3, 200)), LIMIT)).containsExactly(0, 9, 3, 200);
        assertThat(IdxReader.readLabels(in(gzip(labels(1, 2))), LIMIT)).containsExactly(1, 2);
    }

    @Test
    void readsSamples() throws IOException {
        Samples s = IdxReader.readSamples(in(gzip(images(3, 2, 2))), in(labels(0, 2, 1)), LIMIT);
        assertThat(s.rows()).isEqualTo(3);
        assertThat(s.features()).isEqualTo(4);
        assertThat(s.classes()).isEqualTo(3);
        assertThat(s.labels()).containsExactly(0, 2, 1);
        assertThat(s.value(2, 3)).isEqualTo(11f);
    }

    @Test
    void imagesAndLabelsCountMustMatch() {
        assertThatThrownBy(() -> IdxReader.readSamples(in(images(3, 2, 2)), in(labels(0, 1)), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class)
                .hasMessageContaining("3 images").hasMessageContaining("2 labels");
    }

    @Test
    void samplesNeedTwoClasses() {
        assertThatThrownBy(() -> IdxReader.readSamples(in(images(2, 2, 2)), in(labels(0, 0)), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("2 classes");
    }

    @Test
    void wrongMagicIsNotAnIdxFile() {
        byte[] text = "label,x\n1,2\n3,4\n5,6\n".getBytes();
        assertThatThrownBy(() -> IdxReader.readImages(in(text), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class)
                .hasMessageContaining("not an IDX file").hasMessageContaining("0x00000803");
    }

    @Test
    void swappedPartsAreNamed() {
        assertThatThrownBy(() -> IdxReader.readImages(in(labels(1, 2)), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("swapped");
        assertThatThrownBy(() -> IdxReader.readLabels(in(images(1, 2, 2)), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("swapped");
    }

    @Test
    void otherElementTypesAreRejected() {
        byte[] floats = images(1, 2, 2);
        floats[2] = 0x0D; // IDX type float
        assertThatThrownBy(() -> IdxReader.readImages(in(floats), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("unsigned-byte");
    }

    @Test
    void emptyFile() {
        assertThatThrownBy(() -> IdxReader.readImages(in(new byte[0]), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("empty");
    }

    @Test
    void headerCutOff() {
        byte[] cut = Arrays.copyOf(images(2, 2, 2), 10);
        assertThatThrownBy(() -> IdxReader.readImages(in(cut), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("ends inside its header");
    }

    @Test
    void zeroCountIsRejected() {
        assertThatThrownBy(() -> IdxReader.readImages(in(images(0, 28, 28)), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("image count");
    }

    @Test
    void truncatedRawBody() {
        byte[] cut = Arrays.copyOf(images(4, 2, 2), 16 + 10);
        assertThatThrownBy(() -> IdxReader.readImages(in(cut), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class)
                .hasMessageContaining("truncated").hasMessageContaining("16 data bytes").hasMessageContaining("only 10");
    }

    @Test
    void truncatedLabels() {
        byte[] cut = Arrays.copyOf(labels(1, 2, 3), 10);
        assertThatThrownBy(() -> IdxReader.readLabels(in(cut), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("truncated");
    }

    @Test
    void moreBytesThanTheDimensionsDeclare() {
        byte[] longer = Arrays.copyOf(images(2, 2, 2), 16 + 8 + 3);
        assertThatThrownBy(() -> IdxReader.readImages(in(longer), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("do not match");
    }

    @Test
    void truncatedGzip() throws IOException {
        byte[] zipped = gzip(images(50, 28, 28));
        byte[] cut = Arrays.copyOf(zipped, zipped.length / 2);
        assertThatThrownBy(() -> IdxReader.readImages(in(cut), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class)
                .hasMessageContaining("gzipped").hasMessageContaining("truncated");
    }

    @Test
    void gzipMissingOnlyItsTrailerIsTruncated() throws IOException {
        byte[] zipped = gzip(images(2, 4, 4));
        byte[] cut = Arrays.copyOf(zipped, zipped.length - 4);
        assertThatThrownBy(() -> IdxReader.readImages(in(cut), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("truncated");
    }

    @Test
    void damagedGzip() throws IOException {
        byte[] zipped = gzip(images(50, 28, 28));
        for (int i = 20; i < zipped.length - 8; i++) {
            zipped[i] = (byte) 0xFF;
        }
        assertThatThrownBy(() -> IdxReader.readImages(in(zipped), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("damaged");
    }

    @Test
    void gzipHeaderCutOff() {
        byte[] cut = {0x1f, (byte) 0x8b, 8};
        assertThatThrownBy(() -> IdxReader.readImages(in(cut), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("gzip header");
    }

    @Test
    void declaredSizeOverTheLimitIsRefusedBeforeReading() {
        ByteBuffer header = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(1_000_000).putInt(28).putInt(28);
        assertThatThrownBy(() -> IdxReader.readImages(in(header.array()), LIMIT))
                .isInstanceOf(IdxReader.TooLargeException.class)
                .hasMessageContaining("1000000 images").hasMessageContaining(Long.toString(LIMIT))
                .satisfies(e -> assertThat(((IdxReader.TooLargeException) e).limit()).isEqualTo(LIMIT));
    }

    @Test
    void hugeDimensionsDoNotOverflow() {
        ByteBuffer header = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC)
                .putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> IdxReader.readImages(in(header.array()), Long.MAX_VALUE))
                .isInstanceOf(IdxReader.TooLargeException.class);
    }

    @Test
    void gzipBombStopsAtTheLimit() throws IOException {
        // The header is honest (1 MiB of pixels) but over a limit of 64 KiB: refused before the body is inflated.
        byte[] bomb = gzip(images(1024, 32, 32));
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertThatThrownBy(() -> IdxReader.readImages(in(bomb), 64 * 1024))
                .isInstanceOf(IdxReader.TooLargeException.class).hasMessageContaining("65536");
    }

    @Test
    void gzipBombBehindASmallHeaderIsCutOff() throws IOException {
        // A small declared image followed by 64 MiB of zeros: rejected after one byte past the declared data.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(images(1, 2, 2));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        assertThatThrownBy(() -> IdxReader.readImages(in(out.toByteArray()), LIMIT))
                .isInstanceOf(IdxReader.InvalidIdxException.class).hasMessageContaining("more data than its header");
    }

    @Test
    void limitCountsDecompressedBytesExactly() throws IOException {
        byte[] raw = images(2, 2, 2); // 24 bytes
        assertThat(IdxReader.readImages(in(gzip(raw)), 24).count()).isEqualTo(2);
        assertThatThrownBy(() -> IdxReader.readImages(in(gzip(raw)), 23)).isInstanceOf(IdxReader.TooLargeException.class);
    }

    @Test
    void dimensionsCheckRunsBeforeThePixelsAreRead() {
        byte[] cut = Arrays.copyOf(images(1000, 28, 28), 16); // only the header: reading pixels would fail
        assertThatThrownBy(() -> IdxReader.readImages(in(cut), Long.MAX_VALUE, (count, rows, cols) -> {
            throw new IllegalStateException(count + " images of " + rows + "x" + cols);
        })).isInstanceOf(IllegalStateException.class).hasMessage("1000 images of 28x28");
    }

    @Test
    void decompressedPassesPlainDataThroughUnderTheLimit() throws IOException {
        byte[] text = "a,b\n1,2\n".getBytes();
        assertThat(IdxReader.decompressed(in(gzip(text)), 100, "CSV file").readAllBytes()).isEqualTo(text);
        assertThat(IdxReader.decompressed(in(text), 100, "CSV file").readAllBytes()).isEqualTo(text);
        assertThatThrownBy(() -> IdxReader.decompressed(in(text), 5, "CSV file").readAllBytes())
                .isInstanceOf(IdxReader.TooLargeException.class).hasMessageContaining("CSV file holds more than");
        assertThatThrownBy(() -> IdxReader.decompressed(in(gzip(text)), 5, "CSV file").readAllBytes())
                .isInstanceOf(IdxReader.TooLargeException.class).hasMessageContaining("CSV file decompresses to more than");
    }
}
