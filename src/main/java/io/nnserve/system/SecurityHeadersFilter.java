package io.nnserve.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers that keep browsers from misusing the service's answers, on every answer (refusals included): no framing by
 * another site (the dashboard's buttons start and cancel jobs: a page that framed it could trick a click), no
 * guessing a type other than the declared one, no address leaked to other sites in a Referer. A frame-ancestors
 * policy alone, not a full Content-Security-Policy: Swagger UI's page runs inline scripts of springdoc's.
 */
final class SecurityHeadersFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        addTo(response);
        chain.doFilter(request, response);
    }

    /** Also for the answers Tomcat writes before any filter runs ({@link ProblemErrorReportValve}). */
    static void addTo(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        response.setHeader("Referrer-Policy", "no-referrer");
    }
}
