package io.nnserve.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Actuator answers a health path that names no component or group ({@code /actuator/health/nope}) with a 404 and
 * no body at all. Here that status becomes the container's own 404, which the {@code /error} page answers as
 * problem+json ({@link ProblemErrorController}), like every other error of the service.
 */
final class HealthNotFoundFilter extends OncePerRequestFilter {

    /** Where Actuator's health components and groups live (the default base path). */
    static final String PATTERN = "/actuator/health/*";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setStatus(int status) {
                if (status != HttpServletResponse.SC_NOT_FOUND || isCommitted()) {
                    super.setStatus(status);
                    return;
                }
                try {
                    sendError(status);
                } catch (IOException e) {
                    super.setStatus(status);
                }
            }
        });
    }
}
