package io.nnserve.prediction;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

import io.nnserve.prediction.InferenceProtocol.ErrorBody;
import io.nnserve.system.ConflictException;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.NotFoundException;
import io.nnserve.system.PayloadTooLargeException;
import io.nnserve.system.ProblemHandler;
import io.nnserve.system.TooManyRequestsException;

/**
 * Errors of the inference-protocol endpoints as those protocols have them, {@code {"error": "..."}}, instead of the
 * problem+json of the rest of the API. Limited to those controllers and ordered before {@link ProblemHandler}, so
 * it answers everything they throw; Spring MVC's own exceptions (unreadable JSON, wrong media type, ...) are worded
 * by ProblemHandler and only re-dressed here, so both styles say the same thing.
 */
@RestControllerAdvice(assignableTypes = {OpenInferenceController.class, KServeV1Controller.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class InferenceProtocolErrors {

    private static final Logger log = LoggerFactory.getLogger(InferenceProtocolErrors.class);

    private final ProblemHandler problems;

    InferenceProtocolErrors(ProblemHandler problems) {
        this.problems = problems;
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ErrorBody> notFound(NotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ErrorBody> invalid(InvalidInputException e) {
        if (e.problems().size() <= 1) {
            return error(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return error(HttpStatus.BAD_REQUEST, e.getMessage() + " " + e.problems().stream()
                .map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ErrorBody> conflict(ConflictException e) {
        return error(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ErrorBody> tooLarge(PayloadTooLargeException e) {
        return error(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler(TooManyRequestsException.class)
    ResponseEntity<ErrorBody> tooMany(TooManyRequestsException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorBody(e.getMessage()));
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<ErrorBody> databaseUnavailable(RuntimeException e) {
        log.warn("database unavailable: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorBody("The database is not reachable right now. Try again shortly."));
    }

    /** A query string that is not UTF-8 ({@code ?x=%FF}), worded by ProblemHandler, which names the parameters. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ErrorBody> undecodableParameters(InvalidParameterException e, HttpServletRequest request) {
        return redressed(problems.undecodableParameters(e, request));
    }

    /** Spring MVC's exceptions as ProblemHandler words them; anything else is a logged, generic 500. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> other(Exception e, WebRequest request) {
        ResponseEntity<Object> mapped;
        try {
            mapped = problems.handleException(e, request);
        } catch (Exception unknown) {
            mapped = null;
        }
        if (mapped != null && (mapped.getBody() instanceof ProblemDetail || mapped.getBody() instanceof Map)) {
            return redressed(mapped);
        }
        // the rest as ProblemHandler's catch-all answers it (no memory left, a client gone, or a logged 500)
        ResponseEntity<ProblemDetail> last = problems.unexpected(e);
        return last == null ? null : redressed(last);
    }

    /**
     * ProblemHandler's answer with its status and headers, its detail as the protocols' {@code {"error"}} (Spring's
     * own exceptions it already words that way on these paths).
     */
    private static ResponseEntity<ErrorBody> redressed(ResponseEntity<?> mapped) {
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(mapped.getHeaders());
        headers.setContentType(MediaType.APPLICATION_JSON);
        String detail = mapped.getBody() instanceof ProblemDetail problem ? problem.getDetail()
                : mapped.getBody() instanceof Map<?, ?> error
                        ? String.valueOf(error.get(ProblemHandler.PROTOCOL_ERROR_FIELD)) : null;
        return ResponseEntity.status(mapped.getStatusCode()).headers(headers).body(new ErrorBody(detail));
    }

    private static ResponseEntity<ErrorBody> error(HttpStatusCode status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ErrorBody(message));
    }
}
