package io.nnserve.system;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's last word on an error that never reached the application: a request line Tomcat refuses (an encoded
 * slash or NUL in the path, a malformed URI, headers too large). Tomcat's own valve answers those with an HTML page;
 * this one answers problem+json like the rest of the service, with only the status and a generic detail. Errors
 * the application handled already have a body, and are left alone. The errors answered here never passed the
 * application's filters, so this is where they are counted ({@link #countRefusalsWith}).
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private volatile IntConsumer refusals = status -> { };

    /** Where the statuses of the requests answered here are counted (the error metric). */
    void countRefusalsWith(IntConsumer counter) {
        this.refusals = counter;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        if (status == HttpStatus.NOT_IMPLEMENTED.value()) {
            // Tomcat's answer to a Transfer-Encoding it does not read (RFC 9112 suggests 501): the request is at
            // fault, not the server, and a client should hear so, with what to send instead
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            status = HttpStatus.BAD_REQUEST.value();
            refusals.accept(status);
            write(response, "Bad Request", status, "The request's Transfer-Encoding is not one this server reads:"
                    + " send the body with a Content-Length, or with Transfer-Encoding: chunked alone.");
            return;
        }
        refusals.accept(status);
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status == 400 ? "The request could not be read: its request line or headers are malformed,"
                + " or its path holds an encoded '/', '\\\\' or NUL, which name nothing here."
                : status < 500 ? "The request was refused: " + title + "."
                : "The server failed to handle this request.";
        write(response, title, status, detail);
    }

    /** The problem, written by hand: {@code title} and {@code detail} are constants without characters to escape. */
    private static void write(Response response, String title, int status, String detail) {
        try {
            SecurityHeadersFilter.addTo(response);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"detail\":\"" + detail + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body: nothing more to say
        }
    }
}
