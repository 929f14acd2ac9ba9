package io.nnserve.system;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * Replaces Boot's {@code /error} page, which answers JSON with the request path and, configured carelessly, the
 * exception class or stack. What reaches it (an error raised outside Spring MVC: a servlet filter, the container's
 * own {@code sendError}) gets the same problem+json as everything else, whatever the client accepts, with a
 * generic detail: no stack trace, class name, SQL or path.
 */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    private final ProblemResponses problems;

    ProblemErrorController(ProblemResponses problems) {
        this.problems = problems;
    }

    /** Written straight to the response: no content negotiation, which could itself fail with 406. */
    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Throwable exception = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        ProblemDetail problem = problemFor(statusOf(request), exception);
        // the path that failed, not this page's: an error dispatch keeps the original in an attribute
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        problem.setInstance(java.net.URI.create(path instanceof String original ? original : request.getRequestURI()));
        problems.write(response, problem, Map.of());
    }

    private static HttpStatus statusOf(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code instanceof Integer value) {
            HttpStatus status = HttpStatus.resolve(value);
            if (status != null && status.isError()) {
                return status;
            }
            return HttpStatus.INTERNAL_SERVER_ERROR;
        }
        // Requested directly, not as an error dispatch: there is nothing here.
        return HttpStatus.NOT_FOUND;
    }

    private static ProblemDetail problemFor(HttpStatus status, Throwable exception) {
        PayloadTooLargeException tooLarge = ProblemHandler.findCause(exception, PayloadTooLargeException.class);
        if (tooLarge != null) {
            return ProblemHandler.tooLargeProblem(tooLarge);
        }
        if (exception != null && ProblemHandler.isDatabaseUnavailable(exception)) {
            log.warn("database unavailable: {}", exception.getMessage());
            return ProblemHandler.problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                    "The database is not reachable right now; nothing was changed. Try again shortly.");
        }
        if (exception != null && status.is5xxServerError()) {
            log.error("unexpected error outside the controllers", exception);
        }
        return ProblemHandler.problem(status, status.getReasonPhrase(), detailFor(status));
    }

    private static String detailFor(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "The request could not be read; check its syntax, headers and body.";
            case NOT_FOUND -> "There is no endpoint at this path; the API is described at /swagger-ui.html.";
            case METHOD_NOT_ALLOWED -> "This endpoint does not support this HTTP method.";
            case NOT_ACCEPTABLE -> "This endpoint cannot answer in the media type the Accept header asks for.";
            case UNSUPPORTED_MEDIA_TYPE -> "This endpoint does not accept the request's Content-Type.";
            case CONTENT_TOO_LARGE -> "The request body is over the configured limit; see GET /limits.";
            case SERVICE_UNAVAILABLE -> "The service is not available right now. Try again shortly.";
            default -> status.is5xxServerError() ? "The server failed to handle this request; it has been logged."
                    : "The request failed: " + status.getReasonPhrase() + ".";
        };
    }
}
