package io.nnserve.system;

import java.util.List;

/**
 * Input that cannot be used, with every problem found listed at once so that a user fixes them in one round trip:
 * answered 400. Each {@link FieldProblem} names where (a field, a row/column) and what is wrong.
 */
public class InvalidInputException extends RuntimeException {

    private final transient List<FieldProblem> problems;

    public InvalidInputException(String message) {
        this(message, List.of());
    }

    public InvalidInputException(String message, List<FieldProblem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** One thing to fix: {@code field} is a JSON field name, or a location such as {@code row 3, column 2}. */
    public record FieldProblem(String field, String message) {
    }
}
