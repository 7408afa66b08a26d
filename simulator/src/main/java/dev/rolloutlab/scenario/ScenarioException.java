package dev.rolloutlab.scenario;

import java.util.List;

/**
 * A scenario file that cannot be run, with every problem found as one line
 * {@code FILE:LINE:COL: KEY.PATH: what is wrong}, ready to print without a stack trace.
 */
public final class ScenarioException extends RuntimeException {
    private final List<String> errors;

    public ScenarioException(List<String> errors) {
        super(String.join(System.lineSeparator(), errors));
        this.errors = List.copyOf(errors);
    }

    public ScenarioException(String error) {
        this(List.of(error));
    }

    /** The problems, one line each, in file order. */
    public List<String> errors() {
        return errors;
    }
}
