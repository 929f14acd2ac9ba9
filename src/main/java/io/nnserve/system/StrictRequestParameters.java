package io.nnserve.system;

import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Holds nnserve's endpoints to the request parameters they declare. On a request that changes something, a
 * parameter the endpoint does not take ({@code POST /datasets?lable=target}, a misspelt {@code label}) is refused
 * rather than ignored: ignored, it would leave the default in force without a word (there, the last column taken as
 * the label). Reads (GET, HEAD) ignore parameters they do not know, as web services usually do. A single-valued
 * parameter given more than once ({@code ?size=1&size=2}, {@code ?name=a&name=b}) is refused too: Spring would otherwise join repeated
 * text values with commas ({@code "a,b"}) and fail to convert repeated numbers with a message that shows Java's name
 * of a string array. Parameters of a list or array type ({@code ?classNames=a&classNames=b}) repeat by design. The
 * actuator's and springdoc's endpoints, which read their own parameters, are left alone.
 */
@Configuration(proxyBeanMethods = false)
class StrictRequestParameters implements WebMvcConfigurer, HandlerInterceptor {

    private static final String ANY = "*";

    /** The parameter names each of nnserve's handler methods declares, in declaration order. */
    private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || request.getDispatcherType() != DispatcherType.REQUEST
                || !method.getBeanType().getPackageName().startsWith("io.nnserve")) {
            return true;
        }
        List<InvalidInputException.FieldProblem> problems = new ArrayList<>();
        Set<String> names = declared.computeIfAbsent(method.getMethod(), m -> declaredNames(method));
        // only where the request changes something: an ignored parameter there stores something other than what was
        // asked; a read ignores what it does not know (cache busters, a page size for an unpaged list), as is usual
        boolean checkNames = !names.contains(ANY) && !"GET".equals(request.getMethod())
                && !"HEAD".equals(request.getMethod());
        // reading the parameters parses the query string: one that is not UTF-8 ends here, as a 400 (ProblemHandler)
        request.getParameterMap();
        for (String given : checkNames ? queryNames(request) : Set.<String>of()) {
            if (!names.contains(given)) {
                problems.add(new InvalidInputException.FieldProblem(given, "is not a parameter of this endpoint"
                        + (names.isEmpty() ? ", which takes none" : "; it takes " + String.join(", ", names))));
            }
        }
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
            if (annotation == null || repeatsByDesign(parameter.getParameterType())) {
                continue;
            }
            String name = parameterName(annotation, parameter);
            String[] values = name == null ? null : request.getParameterValues(name);
            if (values != null && values.length > 1) {
                problems.add(new InvalidInputException.FieldProblem(name,
                        "is given " + values.length + " times; give it once"));
            }
        }
        if (!problems.isEmpty()) {
            InvalidInputException.FieldProblem first = problems.get(0);
            throw new InvalidInputException("The parameter '" + first.field() + "' " + first.message()
                    + (problems.size() > 1 ? "; see 'errors' for the others." : "."), problems);
        }
        return true;
    }

    /**
     * The names in the query string. Form fields of a multipart upload are parameters too, but a misnamed part
     * (a file sent as a text field) gets the endpoint's own, better message about the parts it needs.
     */
    private static Set<String> queryNames(HttpServletRequest request) {
        Set<String> names = new LinkedHashSet<>();
        String query = request.getQueryString();
        if (query == null) {
            return names;
        }
        for (String pair : query.split("&")) {
            String raw = pair.split("=", 2)[0];
            if (!raw.isEmpty()) {
                names.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            }
        }
        return names;
    }

    private static Set<String> declaredNames(HandlerMethod method) {
        Set<String> names = new LinkedHashSet<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
            if (annotation != null) {
                // a map of parameters takes whatever is sent
                names.add(Map.class.isAssignableFrom(parameter.getParameterType()) ? ANY
                        : parameterName(annotation, parameter));
            }
        }
        return names;
    }

    private static String parameterName(RequestParam annotation, MethodParameter parameter) {
        return !annotation.name().isEmpty() ? annotation.name() : parameter.getParameterName();
    }

    private static boolean repeatsByDesign(Class<?> type) {
        return type.isArray() || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }
}
