package io.nnserve.system;

import java.io.IOException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts error answers by status as {@code nnserve_http_errors_total{status="404"}}: one counter for every 4xx and
 * 5xx, including those that never reach a controller (401/403 from authentication, 413 from the body limit). It
 * runs outside every other filter of ours. {@code http_server_requests_seconds} (Boot's) has the same answers by
 * URI and method, with timings.
 */
final class ErrorMetricsFilter extends OncePerRequestFilter {

    static final String METER = "nnserve.http.errors";

    private final MeterRegistry registry;

    ErrorMetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            if (failed) {
                // An exception escaped every handler: the container answers 500.
                count(500);
            } else if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new CountOnComplete(response));
            } else {
                count(response.getStatus());
            }
        }
    }

    private void count(int status) {
        count(registry, status);
    }

    /** Counts one answer with {@code status} if it is an error (also for {@link ProblemErrorReportValve}). */
    static void count(MeterRegistry registry, int status) {
        if (status >= 400) {
            Counter.builder(METER)
                    .description("HTTP answers with an error status (4xx, 5xx), by status")
                    .tag("status", Integer.toString(status))
                    .register(registry)
                    .increment();
        }
    }

    /** Streaming answers (server-sent events) end later, on another thread. */
    private final class CountOnComplete implements AsyncListener {

        private final HttpServletResponse response;

        CountOnComplete(HttpServletResponse response) {
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            count(response.getStatus());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
