package io.nnserve.system;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.coyote.BadRequestException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

import tools.jackson.databind.DatabindException;

/**
 * The one place where exceptions become RFC 9457 problem+json. Spring's own MVC exceptions (405, 415, 406,
 * unreadable bodies, missing parameters) are handled by the base class; ours are mapped here. Every answer says
 * what to fix and never carries a stack trace, SQL, a class name or a server path: the catch-all logs once and
 * answers a generic 500. Every answer also sets its Content-Type itself, so that it is written as problem+json
 * whatever the Accept header says: negotiating would answer {@code Accept: application/yaml} in YAML, and an
 * Accept header that cannot be parsed at all with an empty body.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final Pattern CHARSET_PARAMETER = Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";]*)");

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return respond(problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage()));
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        return respond(problem(HttpStatus.CONFLICT, "Conflict", e.getMessage()));
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidInputException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid input", e.getMessage());
        if (!e.problems().isEmpty()) {
            problem.setProperty("errors", e.problems());
        }
        return respond(problem);
    }

    /**
     * Tomcat could not decode the query string (or a form body): a {@code %} not followed by two hex digits, or
     * bytes that are not UTF-8 ({@code %FF}, an overlong {@code %C0%80}). It parses all parameters at the first
     * read, so this comes from whichever one an endpoint reads first, whatever its name.
     */
    @ExceptionHandler(InvalidParameterException.class)
    public ResponseEntity<ProblemDetail> undecodableParameters(InvalidParameterException e, HttpServletRequest request) {
        log.debug("undecodable request parameters: {}", e.getMessage());
        List<InvalidInputException.FieldProblem> atFault = UndecodableParameters.in(request.getQueryString());
        String names = atFault.stream().map(p -> "'" + p.field() + "'").collect(Collectors.joining(", "));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid input", "The request's parameters"
                + (atFault.isEmpty() ? "" : " (" + names + ")") + " cannot be decoded: "
                + UndecodableParameters.RULE + ".");
        if (!atFault.isEmpty()) {
            problem.setProperty("errors", atFault);
        }
        return respond(problem);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return respond(tooLargeProblem(e));
    }

    /**
     * A multipart body the container cannot parse: no boundary, or a body that ends inside a part. The upload
     * limit and a body that stopped arriving have their own answers (413, 408).
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> malformedMultipart(MultipartException e) {
        if (e instanceof MaxUploadSizeExceededException || findCause(e, SocketTimeoutException.class) != null
                || DisconnectedClientHelper.isClientDisconnectedException(e)) {
            return unexpected(e);
        }
        log.debug("malformed multipart body: {}", e.getMessage());
        return respond(problem(HttpStatus.BAD_REQUEST, "Unreadable request body", "The multipart/form-data body"
                + " cannot be read: it has no boundary, or it ends before its last part is complete. Send a"
                + " well-formed multipart body (curl -F builds one), with the parts described at /swagger-ui.html."));
    }

    /** 413 with the limit and the property that sets it as fields, when the exception knows them. */
    static ProblemDetail tooLargeProblem(PayloadTooLargeException e) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", e.getMessage());
        if (e.property() != null) {
            problem.setProperty("property", e.property());
        }
        if (e.limit() >= 0) {
            problem.setProperty("limit", e.limit());
        }
        return problem;
    }

    @ExceptionHandler(TooManyRequestsException.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyRequestsException e) {
        long seconds = Math.max(1, e.retryAfter().toSeconds());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", e.getMessage()));
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            RecoverableDataAccessException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException e) {
        // The driver's message can carry host names and SQL: it goes to the log only, without the stack.
        log.warn("database unavailable: {}", e.getMessage());
        return databaseUnavailable();
    }

    private static ResponseEntity<ProblemDetail> databaseUnavailable() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                        "The database is not reachable right now; nothing was changed. Try again shortly."));
    }

    /**
     * The catch-all. A known cause wrapped in something else (a body limit hit inside a parser, a lost database
     * connection inside a feature's own exception) still gets its proper status; anything else is logged once and
     * answered with a generic 500 that reveals nothing of the server.
     */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception e) {
        PayloadTooLargeException tooLarge = findCause(e, PayloadTooLargeException.class);
        if (tooLarge != null) {
            return respond(tooLargeProblem(tooLarge));
        }
        if (isDatabaseUnavailable(e)) {
            log.warn("database unavailable: {}", e.getMessage());
            return databaseUnavailable();
        }
        if (findCause(e, SocketTimeoutException.class) != null) {
            // A client that stopped sending its body (server.tomcat.connection-timeout): its fault, not ours.
            log.info("request body timed out: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.REQUEST_TIMEOUT).header(HttpHeaders.CONNECTION, "close")
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(HttpStatus.REQUEST_TIMEOUT, "Request timeout", "The request body stopped arriving"
                            + " before it was complete; send it again without pausing."));
        }
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            log.debug("client went away: {}", e.getMessage());
            return null;
        }
        if (findCause(e, BadRequestException.class) != null || findCause(e, EOFException.class) != null) {
            // Tomcat could not read the body (a malformed chunk, a body cut short) while one of our streaming
            // readers was reading it: the client's fault, whichever reader wrapped the I/O error on its way here
            log.debug("unreadable request body: {}", e.getMessage());
            return respond(problem(HttpStatus.BAD_REQUEST, "Unreadable request body", "The request body could not"
                    + " be read: its chunked transfer encoding is malformed, or it ended before its declared length."));
        }
        if (findCause(e, OutOfMemoryError.class) != null) {
            // One request's arrays did not fit beside those of the requests and jobs in progress (large predictions
            // or uploads at once, on a small heap). The failed allocation left the heap as it was: the request can be
            // retried, or made smaller. (With -XX:+ExitOnOutOfMemoryError, as in the image, the JVM exits instead.)
            log.warn("not enough memory for a request: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", "The service does not have"
                            + " the memory for this request right now: its heap (-Xmx, "
                            + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB) is shared by the requests and"
                            + " jobs in progress. Retry shortly, send fewer rows at once, or give the service more"
                            + " memory."));
        }
        log.error("unexpected error", e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The server failed to handle this request; it has been logged."));
    }

    /**
     * Whether {@code e} means the database cannot be reached: Spring's resource failures, a transaction that could
     * not start, or a driver error of SQLSTATE class 08 (connection exception) or 57P (server shutting down). A
     * connection lost in the middle of a transaction surfaces as a failed rollback
     * ({@link TransactionSystemException}) whose own cause is such an error, so the whole chain is searched.
     */
    static boolean isDatabaseUnavailable(Throwable e) {
        if (findCause(e, DataAccessResourceFailureException.class) != null
                || findCause(e, CannotCreateTransactionException.class) != null
                || findCause(e, SQLTransientConnectionException.class) != null
                || findCause(e, SQLNonTransientConnectionException.class) != null) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t instanceof TransactionSystemException tx && tx.getApplicationException() != null
                    && isDatabaseUnavailable(tx.getApplicationException())) {
                return true;
            }
            // a commit or rollback that failed in the driver: the connection went away under the transaction
            // (Hikari's "Connection is closed" has no SQLState to tell it by)
            if (t instanceof TransactionSystemException && findCause(t, SQLException.class) != null) {
                return true;
            }
        }
        return false;
    }

    /** The first exception of {@code type} in the cause chain of {@code e} (itself included), or null. */
    static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidInputException.FieldProblem> problems = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new InvalidInputException.FieldProblem(f.getField(), f.getDefaultMessage()))
                .toList();
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Invalid input",
                "The request has " + problems.size() + " invalid field(s); see 'errors'.");
        body.setProperty("errors", problems);
        return respondAny(body);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidInputException.FieldProblem> problems = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new InvalidInputException.FieldProblem(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Invalid input",
                "The request has invalid parameters; see 'errors'.");
        body.setProperty("errors", problems);
        return respondAny(body);
    }

    /** A request parameter that is not of its type: {@code ?size=abc}, {@code ?since=99999999999999999999}. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        String message = mismatch(e.getValue(), e.getRequiredType());
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Invalid input",
                "The parameter '" + name + "' " + message + ".");
        body.setProperty("errors", List.of(new InvalidInputException.FieldProblem(name, message)));
        return respondAny(body);
    }

    /** Why {@code value} is not a {@code type}, in the user's terms (never Java's names of types or arrays). */
    static String mismatch(Object value, Class<?> type) {
        String shown = value instanceof String text ? EchoedText.quote(text) : "the value sent";
        Class<?> boxed = type == null ? Object.class : type;
        long max = boxed == int.class || boxed == Integer.class ? Integer.MAX_VALUE
                : boxed == long.class || boxed == Long.class ? Long.MAX_VALUE : 0;
        if (max == 0) {
            return "cannot be read from " + shown;
        }
        if (value instanceof String text && text.strip().matches("[+-]?[0-9]+")) {
            return "is " + shown + ", outside the range from " + (-max - 1) + " to " + max;
        }
        return "must be a whole number in decimal digits, not " + shown;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        PayloadTooLargeException tooLarge = findCause(e, PayloadTooLargeException.class);
        if (tooLarge != null) {
            return respondAny(tooLargeProblem(tooLarge));
        }
        JsonErrors.Described described = JsonErrors.explain(e);
        // JSON that could not be parsed is unreadable; JSON that was read but does not fit (a wrong type, an unknown
        // field, a ragged row, an empty list) is invalid input, as the checks after reading call it
        boolean parsed = findCause(e, DatabindException.class) != null;
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, parsed ? "Invalid input" : "Unreadable request body",
                described.detail());
        if (described.field() != null) {
            body.setProperty("errors", List.of(new InvalidInputException.FieldProblem(described.field(),
                    described.detail())));
        }
        return respondAny(body);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        long max = e.getMaxUploadSize();
        String limit = max >= 0 ? "the limit of " + max + " bytes" : "the upload limit";
        ProblemDetail body = problem(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", "The upload is over " + limit
                + " (configuration property " + LimitsConfiguration.UPLOAD_PROPERTY + "); send a smaller file"
                + " or raise the limit.");
        body.setProperty("property", LimitsConfiguration.UPLOAD_PROPERTY);
        if (max >= 0) {
            body.setProperty("limit", max);
        }
        return respondAny(body);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return createResponseEntity(problem(HttpStatus.NOT_FOUND, "Not found",
                "There is no endpoint at this path; the API is described at /swagger-ui.html."), new HttpHeaders(),
                HttpStatus.NOT_FOUND, request);
    }

    /**
     * 405 with an Allow header that lists every method the path takes: Spring lists the mapped ones, but a GET
     * endpoint also answers HEAD, and every endpoint OPTIONS (which itself lists them all).
     */
    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Set<HttpMethod> allowed = new LinkedHashSet<>(e.getSupportedHttpMethods() == null ? Set.of()
                : e.getSupportedHttpMethods());
        if (allowed.contains(HttpMethod.GET)) {
            allowed.add(HttpMethod.HEAD);
        }
        if (!allowed.isEmpty()) {
            allowed.add(HttpMethod.OPTIONS);
        }
        HttpHeaders answer = new HttpHeaders();
        answer.putAll(headers);
        answer.setAllow(allowed);
        return super.handleHttpRequestMethodNotSupported(e, answer, status, request);
    }

    /** 415, saying so when the request has no Content-Type at all (Spring would call it 'null' or octet-stream). */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String supported = e.getSupportedMediaTypes().stream().map(MediaType::toString)
                .collect(Collectors.joining(", "));
        String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String charset = unknownCharset(sent);
        String detail = charset != null
                ? "Content-Type '" + sent + "' names the charset '" + charset + "', which this server does not know;"
                        + " send UTF-8 (no charset parameter), or name a charset such as ISO-8859-1 or windows-1252."
                : (sent == null || sent.isBlank() ? "The request has no Content-Type header"
                        : "Content-Type '" + sent + "' is not accepted here")
                        + (supported.isEmpty() ? "." : "; send one of: " + supported + ".");
        HttpHeaders answer = new HttpHeaders();
        answer.putAll(headers);
        return new ResponseEntity<>(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", detail),
                withProblemType(answer), HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }

    /** The charset parameter of {@code contentType} when Java has no such charset, else null. */
    static String unknownCharset(String contentType) {
        Matcher charset = CHARSET_PARAMETER.matcher(contentType == null ? "" : contentType);
        if (!charset.find()) {
            return null;
        }
        String name = charset.group(1).strip();
        try {
            return Charset.isSupported(name) ? null : name;
        } catch (IllegalCharsetNameException e) {
            return name;
        }
    }

    /** The base class's answers (405, 406, 415, missing parameters, ...) with their Content-Type set, as ours. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        HttpHeaders copy = new HttpHeaders();
        copy.putAll(headers);
        if (body instanceof ProblemDetail problem && request instanceof ServletWebRequest servlet
                && ProblemResponses.isInferenceProtocol(servlet.getRequest().getRequestURI())) {
            // The inference protocols' paths answer in their own form also where no endpoint took the request (a
            // wrong method, an Accept they cannot meet): a KServe or Open Inference client reads "error".
            copy.setContentType(MediaType.APPLICATION_JSON);
            return new ResponseEntity<>(Map.of(PROTOCOL_ERROR_FIELD, String.valueOf(problem.getDetail())), copy,
                    statusCode);
        }
        if (body instanceof ProblemDetail problem) {
            // Spring's own problems (405, 406, ...) leave the type unset, and then unwritten; the README and the
            // Problem schema promise it
            if (problem.getType() == null) {
                problem.setType(URI.create("about:blank"));
            }
        }
        return new ResponseEntity<>(body, body instanceof ProblemDetail ? withProblemType(copy) : copy, statusCode);
    }

    /** The one field of the inference protocols' error answers, {@code {"error": "..."}}. */
    public static final String PROTOCOL_ERROR_FIELD = "error";

    private static HttpHeaders withProblemType(HttpHeaders headers) {
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return headers;
    }

    /** The problem with its status and Content-Type: written as problem+json without negotiating. */
    static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ResponseEntity<Object> respondAny(ProblemDetail problem) {
        return new ResponseEntity<>(problem, respond(problem).getHeaders(), problem.getStatus());
    }

    /** Builds every problem the same way, so clients can rely on title, status and detail being present. */
    public static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}
