package io.nnserve.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps the bytes of every request body while it is read, whether or not the client declared a Content-Length
 * (chunked uploads are counted as they stream). JSON bodies get {@code nnserve.limits.max-json-body-bytes}, every
 * other body (CSV, IDX, octet-stream, multipart) {@code nnserve.limits.max-upload-bytes}. A declared length over the
 * limit is refused before a byte is read; an undeclared one fails at the first byte past it with
 * {@link PayloadTooLargeException}, which becomes a 413 naming the limit and its property.
 *
 * <p>Multipart bodies are parsed by Tomcat from its own stream, not through this wrapper: the same limit reaches
 * them through the {@code MultipartConfigElement} built in {@link LimitsConfiguration}.
 *
 * <p>A JSON body in a content coding ({@code Content-Encoding: gzip}) is refused with a 415 before it is read: the
 * JSON parser would fail on its first compressed byte with a message about a control character, and the limit
 * would count compressed bytes. Uploads are read whatever the header says: dataset files are recognised as gzip by
 * their own first bytes.
 */
final class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final LimitsProperties limits;
    private final ProblemResponses problems;

    RequestBodyLimitFilter(LimitsProperties limits, ProblemResponses problems) {
        this.limits = limits;
        this.problems = problems;
    }

    /** One limit: its value in bytes, the property that sets it, and the kind of body it applies to. */
    record BodyLimit(long bytes, String property, String kind) {

        PayloadTooLargeException exceeded(String how) {
            return new PayloadTooLargeException("The request body " + how + " the limit of " + bytes
                    + " bytes for " + kind + " (configuration property " + property + "); send less data per"
                    + " request or raise the limit.", property, bytes);
        }
    }

    BodyLimit limitFor(String contentType) {
        if (isJson(contentType)) {
            return new BodyLimit(limits.maxJsonBodyBytes(), "nnserve.limits.max-json-body-bytes", "JSON bodies");
        }
        return new BodyLimit(limits.maxUploadBytes(), "nnserve.limits.max-upload-bytes",
                "uploads (CSV, IDX, multipart)");
    }

    /** A wildcard type or subtype (as in "application/*"): a pattern for Accept, not a type a body can have. */
    static boolean isWildcard(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (coding != null && !coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")
                && isJson(request.getContentType())) {
            problems.write(request, response, ProblemHandler.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                    "Content-Encoding '" + coding.strip() + "' is not accepted for a JSON body; send the JSON"
                            + " uncompressed, without a Content-Encoding header."),
                    Map.of(HttpHeaders.ACCEPT_ENCODING, "identity", HttpHeaders.CONNECTION, "close"));
            return;
        }
        if (isWildcard(request.getContentType())) {
            // Spring refuses to carry such a Content-Type at all (an exception deep in the request's headers)
            problems.write(request, response, ProblemHandler.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported Media Type", "Content-Type '" + request.getContentType().strip() + "' has a"
                            + " wildcard and names no media type; send the body's own type, such as application/json."),
                    Map.of());
            return;
        }
        BodyLimit limit = limitFor(request.getContentType());
        long declared = request.getContentLengthLong();
        if (declared > limit.bytes()) {
            PayloadTooLargeException e = limit.exceeded("of " + declared + " bytes is over");
            ProblemDetail problem = ProblemHandler.tooLargeProblem(e);
            // The body is not read: ask the client to close so Tomcat need not swallow it.
            problems.write(request, response, problem, Map.of(HttpHeaders.CONNECTION, "close"));
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final BodyLimit limit;
        private LimitedInputStream stream;

        LimitedRequest(HttpServletRequest request, BodyLimit limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    /** Counts bytes as they are read and fails, unchecked so that no parser turns it into a 400, past the limit. */
    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream in;
        private final BodyLimit limit;
        private long count;

        LimitedInputStream(ServletInputStream in, BodyLimit limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > limit.bytes()) {
                throw limit.exceeded("is over");
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
