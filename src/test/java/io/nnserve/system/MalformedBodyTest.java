package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.nnserve.support.RawHttp;
import io.nnserve.support.RawHttp.Answer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bodies that are broken on the wire, or labelled with a Content-Type that is a pattern rather than a type: each is
 * the client's fault, answered 4xx in the form of its path (problem+json, or {@code {"error"}} on the inference
 * protocols), never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "nnserve.jobs.workers-enabled=false")
@ExtendWith(OutputCaptureExtension.class)
class MalformedBodyTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private Answer post(String path, String contentType, String extraHeaders, String body) throws IOException {
        return RawHttp.exchange(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: " + contentType + "\r\n" + extraHeaders + "\r\n", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Tomcat answers it (400); the upload's reader must not also take it for a server failure and log one. */
    @Test
    void aMalformedChunkedUploadIsA400AndNoServerError(CapturedOutput output) throws IOException {
        String datasets = RawHttp.exchange(port, "GET /datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                new byte[0]).body();
        for (String type : List.of("application/json", "text/csv")) {
            // a good first chunk, then a chunk header that is not a hexadecimal size
            String first = type.equals("text/csv") ? "a,b,label\n1,2,x\n" : "{\"name\": \"x\", ";
            Answer answer = post("/datasets?name=broken", type, "Transfer-Encoding: chunked\r\n",
                    Integer.toHexString(first.length()) + "\r\n" + first + "\r\nzz\r\nmore\r\n0\r\n\r\n");
            assertThat(answer.status()).as(type + ": " + answer).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.body()).doesNotContain("Exception");
        }
        assertThat(RawHttp.exchange(port, "GET /datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                new byte[0]).body()).isEqualTo(datasets);
        assertThat(output.getAll()).doesNotContain("unexpected error").doesNotContain("UncheckedIOException");
    }

    @Test
    void aWildcardContentTypeIsA415InTheFormOfItsPath() throws IOException {
        String predict = "{\"modelId\": \"iris-example\", \"inputs\": [[5.1, 3.5, 1.4, 0.2]]}";
        String infer = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP64\", \"data\": [5.1, 3.5, 1.4, 0.2]}]}";
        for (String type : List.of("*/*", "application/*", "*/*; charset=UTF-8")) {
            String length = "Content-Length: " + predict.length() + "\r\n";
            Answer general = post("/predict", type, length, predict);
            assertThat(general.status()).as(type + ": " + general).isEqualTo(415);
            assertThat(general.contentType()).startsWith("application/problem+json");
            assertThat(json.readTree(general.body()).get("detail").asString()).contains("wildcard");

            Answer protocol = post("/v2/models/iris-example/infer", type, "Content-Length: " + infer.length() + "\r\n", infer);
            assertThat(protocol.status()).as(type + ": " + protocol).isEqualTo(415);
            assertThat(json.readTree(protocol.body()).get("error").asString()).contains("wildcard");
        }
    }

    /** A transfer coding Tomcat does not read (its own answer is a 501): the request's fault, a 400 that says so. */
    @Test
    void anUnknownTransferEncodingIsA400() throws IOException {
        for (String coding : List.of("bogus", "gzip, chunked")) {
            Answer answer = post("/predict", "application/json", "Transfer-Encoding: " + coding + "\r\n", "{}");
            assertThat(answer.status()).as(coding + ": " + answer).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(json.readTree(answer.body()).get("detail").asString()).contains("Transfer-Encoding");
            // written by Tomcat before any filter runs: the security headers are added there too
            assertThat(answer.headers()).contains("x-frame-options: deny", "x-content-type-options: nosniff",
                    "content-security-policy: frame-ancestors 'none'");
        }
    }
}
