package io.nnserve.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Checks every request against {@link AccessPolicy}: {@code Authorization: Bearer <key>}; no or an unknown key is
 * a 401 with {@code WWW-Authenticate: Bearer}, a key without the needed scope a 403 (RFC 6750). Keys are held only
 * as SHA-256 digests and compared with {@link MessageDigest#isEqual} against every configured key, so neither the
 * comparison's time nor an early exit tells how much of a guess was right. Keys are never logged.
 *
 * <p>Before that, a path that is not in canonical form (encoded dots or slashes, {@code ..}, {@code ;},
 * {@code //}) is answered 404: the path the policy checks is then the very path Spring MVC routes.
 * Without configured keys only the path check runs (the service then listens on loopback, see
 * {@link BindAddressGuard}).
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    /** Request attribute holding the caller's scopes once authenticated (all scopes when keys are off). */
    static final String SCOPES_ATTRIBUTE = ApiKeyFilter.class.getName() + ".scopes";

    private static final Pattern NOT_CANONICAL = Pattern.compile(
            "(?i).*(%2e|%2f|%5c|%00|;|\\\\|//|/\\./|/\\.\\./|/\\.$|/\\.\\.$).*");
    private static final String REALM = "Bearer realm=\"nnserve\"";

    private record KeyDigest(byte[] digest, Set<Scope> scopes) {
    }

    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
    /** Ten seconds: a line for an operator to notice, not one per request of a client trying keys. */
    static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final List<KeyDigest> keys;
    private final AccessPolicy policy;
    private final ProblemResponses problems;
    private final AtomicLong lastRefusalLogged = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
    private final AtomicInteger refusalsNotLogged = new AtomicInteger();

    ApiKeyFilter(SecurityProperties security, ProblemResponses problems) {
        this.keys = security.apiKeys().stream().map(k -> new KeyDigest(sha256(k.key()), k.scopes())).toList();
        this.policy = new AccessPolicy(security.docsOpen());
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (NOT_CANONICAL.matcher(request.getRequestURI()).matches()) {
            // 404 like any id that is not an id: such a path names nothing this service has.
            problems.write(response, HttpStatus.NOT_FOUND, "Not found", "The resource at this path does not"
                    + " exist: paths with encoded dots or slashes, '..', '.', ';' or '//' name nothing here. Ids"
                    + " contain only letters, digits, '.', '_' and '-'.");
            return;
        }
        AccessPolicy.Requirement requirement = policy.requirement(request.getMethod(), pathOf(request));
        if (keys.isEmpty() || requirement.open()) {
            request.setAttribute(SCOPES_ATTRIBUTE, EnumSet.allOf(Scope.class));
            chain.doFilter(request, response);
            return;
        }
        List<String> credentials = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
        if (credentials.size() > 1) {
            // Authorization is not a list (RFC 9110): reading the first would make the answer depend on their order
            reject(request, response, HttpStatus.UNAUTHORIZED, "Authentication failed", "The request has "
                    + credentials.size() + " Authorization headers; send one, 'Authorization: Bearer <key>'.",
                    REALM + ", error=\"invalid_request\"");
            return;
        }
        String token = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            reject(request, response, HttpStatus.UNAUTHORIZED, "Authentication required",
                    "This endpoint needs an API key: send 'Authorization: Bearer <key>'.", REALM);
            return;
        }
        Set<Scope> scopes = scopesOf(token);
        if (scopes == null) {
            reject(request, response, HttpStatus.UNAUTHORIZED, "Authentication failed",
                    "The API key is not valid.", REALM + ", error=\"invalid_token\"");
            return;
        }
        if (!requirement.allows(scopes)) {
            String needed = requirement.anyOf().stream().map(Scope::wireName).sorted()
                    .collect(Collectors.joining(" or "));
            reject(request, response, HttpStatus.FORBIDDEN, "Forbidden", "This API key lacks the scope this endpoint needs ("
                    + needed + ").", REALM + ", error=\"insufficient_scope\", scope=\""
                    + needed.replace(" or ", " ") + "\"");
            return;
        }
        request.setAttribute(SCOPES_ATTRIBUTE, Set.copyOf(scopes));
        chain.doFilter(request, response);
    }

    /**
     * The path Spring MVC routes, without the context path, decoded. Decoding cannot create a separator or a dot
     * segment here: encoded dots, slashes and percents were refused above.
     */
    private static String pathOf(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        path = UriUtils.decode(path, StandardCharsets.UTF_8);
        return path.isEmpty() ? "/" : path;
    }

    private static String bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** The scopes of the matching key, or null. Every key is compared, whatever matched before. */
    private Set<Scope> scopesOf(String token) {
        byte[] presented = sha256(token);
        Set<Scope> found = null;
        for (KeyDigest key : keys) {
            if (MessageDigest.isEqual(presented, key.digest())) {
                found = key.scopes();
            }
        }
        return found;
    }

    /**
     * Logs a refused key (invalid, or without the scope), never the key itself: who tried what, for an operator
     * looking for a leaked or mistyped key. At most one line per {@link #REFUSAL_LOG_INTERVAL_NANOS}, with the count
     * of those left out, so that a client trying keys cannot flood the log. A missing key is not logged: browsers
     * and probes without one are ordinary.
     */
    private void logRefusal(HttpServletRequest request, HttpStatus status, String reason) {
        long now = System.nanoTime();
        long last = lastRefusalLogged.get();
        if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLogged.compareAndSet(last, now)) {
            int more = refusalsNotLogged.getAndSet(0);
            log.warn("refused {} {} {} from {}: {}{}", status.value(), request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr(), reason, more == 0 ? "" : " (and " + more + " refusal(s) before it, not logged)");
        } else {
            refusalsNotLogged.incrementAndGet();
        }
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
            String detail, String challenge) throws IOException {
        if (!title.equals("Authentication required")) {
            logRefusal(request, status, detail);
        }
        ProblemDetail problem = ProblemHandler.problem(status, title, detail);
        problems.write(request, response, problem, Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
