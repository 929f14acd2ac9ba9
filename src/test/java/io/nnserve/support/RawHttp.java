package io.nnserve.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client would send (a query string that does not decode, a
 * malformed chunked body): the bytes on the wire are exactly the test's.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** The status, Content-Type and (de-chunked) body of an answer, and its header lines in lower case. */
    public record Answer(int status, String contentType, String body, java.util.List<String> headers) {
        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /** Sends {@code head} (request line and headers, ending with an empty line) and {@code body} on a connection of its own. */
    public static Answer exchange(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    private static Answer parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String type = "";
        boolean chunked = false;
        java.util.List<String> headers = new java.util.ArrayList<>();
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            headers.add(lower);
            if (lower.startsWith("content-type:")) {
                type = line.substring(13).strip();
            }
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
        return new Answer(status, type, new String(chunked ? unchunk(rest) : rest, StandardCharsets.UTF_8),
                java.util.List.copyOf(headers.subList(1, headers.size())));
    }

    private static byte[] unchunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(chunked);
        while (true) {
            StringBuilder size = new StringBuilder();
            for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int n = size.isEmpty() ? 0 : Integer.parseInt(size.toString().split(";")[0].strip(), 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            in.readNBytes(2);
        }
    }
}
