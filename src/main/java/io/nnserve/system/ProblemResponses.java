package io.nnserve.system;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem+json answer straight to a servlet response, for the places that run outside Spring MVC's
 * exception handling: servlet filters (authentication, body limits) and the {@code /error} fallback. The body is
 * the same as {@link ProblemHandler}'s (the application's JSON mapper renders {@link ProblemDetail}).
 */
@Component
public class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    /** Serializes a problem the way MVC would, so filters and the error page answer exactly like controllers. */
    public String toJson(ProblemDetail problem) {
        return json.writeValueAsString(problem);
    }

    public void write(HttpServletResponse response, ProblemDetail problem, Map<String, String> headers)
            throws IOException {
        send(response, problem.getStatus(), headers, MediaType.APPLICATION_PROBLEM_JSON_VALUE, toJson(problem));
    }

    /**
     * {@link #write(HttpServletResponse, ProblemDetail, Map)}, except on the inference protocols' paths
     * ({@code /v1}, {@code /v2} and below), where the answer takes their own form, {@code {"error": "..."}}, as every other
     * error there does: a KServe or Open Inference client reads {@code error}.
     */
    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem,
            Map<String, String> headers) throws IOException {
        String path = request.getRequestURI();
        if (problem.getInstance() == null && path != null) {
            problem.setInstance(java.net.URI.create(path));
        }
        if (isInferenceProtocol(path)) {
            send(response, problem.getStatus(), headers, MediaType.APPLICATION_JSON_VALUE,
                    json.writeValueAsString(Map.of(ProblemHandler.PROTOCOL_ERROR_FIELD,
                            String.valueOf(problem.getDetail()))));
        } else {
            write(response, problem, headers);
        }
    }

    /** The inference protocols' paths: {@code /v1}, {@code /v2} (the server's metadata) and everything below them. */
    static boolean isInferenceProtocol(String path) {
        return path != null && (path.equals("/v1") || path.equals("/v2") || path.startsWith("/v1/")
                || path.startsWith("/v2/"));
    }

    /** Replaces whatever was buffered with this answer, unless the response has already gone out. */
    private static void send(HttpServletResponse response, int status, Map<String, String> headers,
            String contentType, String body) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body);
        response.flushBuffer();
    }

    public void write(HttpServletResponse response, HttpStatus status, String title, String detail)
            throws IOException {
        write(response, ProblemHandler.problem(status, title, detail), Map.of());
    }
}
