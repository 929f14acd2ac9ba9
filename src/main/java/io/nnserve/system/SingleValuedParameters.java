package io.nnserve.system;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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
 * Refuses a single-valued request parameter given more than once ({@code ?size=1&size=2}, {@code ?name=a&name=b}).
 * Spring would otherwise join repeated text values with commas ({@code "a,b"}) and fail to convert repeated numbers
 * with a message that shows Java's name of a string array; either way the client's mistake goes unnoticed or
 * unexplained. Parameters of a list or array type ({@code ?classNames=a&classNames=b}) repeat by design.
 */
@Configuration(proxyBeanMethods = false)
class SingleValuedParameters implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        List<InvalidInputException.FieldProblem> problems = new ArrayList<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
            if (annotation == null || repeatsByDesign(parameter.getParameterType())) {
                continue;
            }
            String name = !annotation.name().isEmpty() ? annotation.name() : parameter.getParameterName();
            // reading the values parses the query string: one that is not UTF-8 ends here, as a 400 (ProblemHandler)
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

    private static boolean repeatsByDesign(Class<?> type) {
        return type.isArray() || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }
}
