package io.concordat.config;

import java.util.List;
import java.util.Objects;

/**
 * A cluster definition that cannot be used: it does not parse, it breaks a rule, or its signature does not
 * verify. It carries every problem found, not only the first, so an operator can fix the file in one pass.
 */
public final class ClusterDefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ClusterDefinitionException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
        if (this.problems.isEmpty()) {
            throw new IllegalArgumentException("a ClusterDefinitionException needs at least one problem");
        }
    }

    public ClusterDefinitionException(Problem problem) {
        this(List.of(problem));
    }

    /** Every problem found, in the order the file presents them. Never empty. */
    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        Objects.requireNonNull(problems, "problems");
        StringBuilder text = new StringBuilder("the cluster definition has ")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        for (Problem problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }
}
