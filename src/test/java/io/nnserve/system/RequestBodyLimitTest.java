package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Body limits over real HTTP: declared and undeclared (chunked) lengths, JSON, raw uploads and multipart. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nnserve.limits.max-json-body-bytes=2000", "nnserve.limits.max-upload-bytes=10000",
        "server.tomcat.connection-timeout=1s"})
@Import(RequestBodyLimitTest.SinkController.class)
class RequestBodyLimitTest {

    @RestController
    static class SinkController {
        @PostMapping(path = "/test/limits/json", consumes = "application/json")
        int json(@RequestBody JsonNode body) {
            return body.size();
        }

        @PostMapping(path = "/test/limits/raw", consumes = {"text/csv", "application/octet-stream"})
        long raw(HttpServletRequest request) throws IOException {
            try (InputStream in = request.getInputStream()) {
                return in.transferTo(OutputStreamSink.INSTANCE);
            }
        }

        @PostMapping(path = "/test/limits/multipart", consumes = "multipart/form-data")
        long multipart(@RequestPart("file") MultipartFile file) {
            return file.getSize();
        }
    }

    /** Discards bytes. */
    static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String path, String contentType, byte[] body, boolean chunked)
            throws Exception {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType).POST(publisher).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] jsonArray(int bytes) {
        StringBuilder s = new StringBuilder("[");
        while (s.length() < bytes - 3) {
            s.append("1,");
        }
        return s.append("1]").toString().getBytes(StandardCharsets.UTF_8);
    }

    private void assertTooLarge(HttpResponse<String> response, String property, long limit) {
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("property").asString()).isEqualTo(property);
        assertThat(problem.get("limit").asLong()).isEqualTo(limit);
        assertThat(problem.get("detail").asString()).contains(property).contains(Long.toString(limit));
    }

    @Test
    void jsonUnderTheLimitIsRead() throws Exception {
        HttpResponse<String> response = post("/test/limits/json", "application/json", jsonArray(1900), true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Integer.parseInt(response.body())).isGreaterThan(900);
    }

    @Test
    void declaredJsonOverTheLimitIsRefusedBeforeReading() throws Exception {
        assertTooLarge(post("/test/limits/json", "application/json", jsonArray(2500), false),
                "nnserve.limits.max-json-body-bytes", 2000);
    }

    @Test
    void chunkedJsonOverTheLimitIsRefusedWhileStreaming() throws Exception {
        assertTooLarge(post("/test/limits/json", "application/json", jsonArray(6000), true),
                "nnserve.limits.max-json-body-bytes", 2000);
    }

    @Test
    void aCompressedJsonBodyIsA415NamingTheEncodingAndAnUploadIsReadAsSent() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(zipped)) {
            gzip.write(jsonArray(500));
        }
        for (String coding : List.of("gzip", "br", " GZIP ")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/test/limits/json")).header("Content-Type", "application/json").header("Content-Encoding", coding)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(415);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json.readTree(response.body()).get("detail").asString())
                    .contains("Content-Encoding '" + coding.strip() + "'", "uncompressed");
        }
        HttpResponse<String> identity = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/test/limits/json")).header("Content-Type", "application/json").header("Content-Encoding", "identity")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jsonArray(500))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(identity.statusCode()).isEqualTo(200);
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/test/limits/raw")).header("Content-Type", "text/csv").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(200);
        assertThat(upload.body()).isEqualTo(Integer.toString(zipped.size()));
    }

    @Test
    void rawUploadsHaveTheirOwnLimit() throws Exception {
        byte[] csv = new byte[8000];
        Arrays.fill(csv, (byte) '1');
        HttpResponse<String> within = post("/test/limits/raw", "text/csv", csv, true);
        assertThat(within.statusCode()).isEqualTo(200);
        assertThat(within.body()).isEqualTo("8000");

        byte[] big = new byte[30_000];
        assertTooLarge(post("/test/limits/raw", "application/octet-stream", big, true),
                "nnserve.limits.max-upload-bytes", 10000);
        assertTooLarge(post("/test/limits/raw", "text/csv", big, false), "nnserve.limits.max-upload-bytes", 10000);
    }

    @Test
    void multipartUploadsAreLimitedByTheSameProperty() throws Exception {
        String boundary = "nnserveBoundary";
        HttpResponse<String> within = post("/test/limits/multipart", "multipart/form-data; boundary=" + boundary,
                multipart(boundary, 5000), true);
        assertThat(within.statusCode()).isEqualTo(200);
        assertThat(within.body()).isEqualTo("5000");

        HttpResponse<String> over = post("/test/limits/multipart", "multipart/form-data; boundary=" + boundary,
                multipart(boundary, 20_000), true);
        assertThat(over.statusCode()).isEqualTo(413);
        JsonNode problem = json.readTree(over.body());
        assertThat(problem.get("property").asString()).isEqualTo("nnserve.limits.max-upload-bytes");
    }

    private static byte[] multipart(String boundary, int size) {
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        byte[] body = new byte[head.length() + size + tail.length()];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, body, 0, head.length());
        Arrays.fill(body, head.length(), head.length() + size, (byte) 'x');
        System.arraycopy(tail.getBytes(StandardCharsets.US_ASCII), 0, body, head.length() + size, tail.length());
        return body;
    }

    @Test
    void limitsArePublished() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/limits")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode limits = json.readTree(response.body());
        assertThat(limits.get("maxJsonBodyBytes").asLong()).isEqualTo(2000);
        assertThat(limits.get("maxUploadBytes").asLong()).isEqualTo(10000);
        assertThat(limits.get("jsonMaxNestingDepth").asInt()).isEqualTo(64);
        assertThat(limits.get("maxActiveJobs").asInt()).isPositive();
    }

    /** Sends {@code head} and then nothing; returns what the server sent before it closed, or fails after 15 s. */
    private String stall(String head) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aClientStalledInItsHeadersIsDisconnected() throws Exception {
        String answer = stall("GET /limits HTTP/1.1\r\nHost: localhost\r\nAccept: appl");
        assertThat(answer).doesNotContain("maxJsonBodyBytes");
    }

    @Test
    void aClientStalledInItsBodyIsDisconnected() throws Exception {
        String answer = stall("POST /test/limits/raw HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                + "Content-Length: 100\r\n\r\na,b\n");
        assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json")
                .contains("\"status\":408");
    }
}
