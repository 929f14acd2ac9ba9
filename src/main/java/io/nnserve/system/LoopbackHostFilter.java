package io.nnserve.system;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Defends an instance without API keys (which then listens on loopback only) against DNS rebinding: a web page on
 * a name its attacker controls, re-pointed at 127.0.0.1, is same-origin with itself, so the browser lets it call the
 * service with its own name in {@code Host} and {@code Origin}, and the CORS check cannot tell. Such an instance
 * therefore answers only requests addressed to it by a loopback name: {@code localhost} (or a name under
 * {@code .localhost}), a 127.x.x.x address or {@code [::1]}, with any port. Instances with keys, and those whose
 * operator opted in to remote clients without keys (something in front authenticates), are not restricted: a page
 * cannot supply the key, and the name in front is the operator's.
 */
final class LoopbackHostFilter extends OncePerRequestFilter {

    private final ProblemResponses problems;

    LoopbackHostFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = request.getHeader("Host");
        if (host == null || isLoopbackName(host)) {
            chain.doFilter(request, response);
            return;
        }
        String shown = host.length() > 100 ? host.substring(0, 100) + "..." : host;
        problems.write(request, response, ProblemHandler.problem(HttpStatus.FORBIDDEN, "Forbidden",
                "This instance has no API keys and answers only requests addressed to localhost, 127.0.0.1 or [::1],"
                        + " not to '" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "': a web page on another name"
                        + " could reach a local service through DNS rebinding. To serve other names, configure API"
                        + " keys (nnserve.security.api-keys)."), Map.of());
    }

    /** A Host header (name or address, with or without a port) that can only mean this machine's loopback. */
    static boolean isLoopbackName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1") && validPort(h.substring(end + 1));
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (colon >= 0 && !validPort(h.substring(colon))) {
            return false;
        }
        return name.equals("localhost") || name.endsWith(".localhost") || name.matches("127(\\.\\d{1,3}){3}");
    }

    private static boolean validPort(String rest) {
        return rest.isEmpty() || rest.matches(":\\d{1,5}");
    }
}
