package io.nnserve.dataset;

import java.util.ArrayList;
import java.util.List;

import io.nnserve.system.InvalidInputException;
import io.nnserve.system.InvalidInputException.FieldProblem;

/**
 * The input problems found while one upload is read. Parsing goes on past a bad value so that the user sees
 * many problems at once, but stops after {@value #MAX} so that a hopeless file does not produce a huge answer.
 */
final class Problems {

    static final int MAX = 20;

    private final List<FieldProblem> problems = new ArrayList<>();

    /** Records a problem; throws once {@value #MAX} have been found. */
    void add(String field, String message) {
        problems.add(new FieldProblem(field, message));
        if (problems.size() >= MAX) {
            throw failure();
        }
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw failure();
        }
    }

    private InvalidInputException failure() {
        FieldProblem first = problems.get(0);
        String more = problems.size() == 1 ? ""
                : problems.size() >= MAX ? " (and more: reading stopped after " + MAX + " problems; see 'errors')"
                : " (and " + (problems.size() - 1) + " more; see 'errors')";
        return new InvalidInputException("The dataset was not stored: " + first.field() + ": " + first.message() + more,
                problems);
    }

    /** A problem that ends reading at once (broken structure, a limit). */
    static InvalidInputException fatal(String field, String message) {
        return new InvalidInputException("The dataset was not stored: " + field + ": " + message,
                List.of(new FieldProblem(field, message)));
    }

    /** A size limit of {@code nnserve.limits.*} that the upload exceeds. */
    static InvalidInputException limit(String field, String what, long limit, String property) {
        return fatal(field, what + " exceeds the limit of " + limit + " (nnserve.limits." + property + ")");
    }
}
