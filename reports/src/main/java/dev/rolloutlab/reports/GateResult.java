package dev.rolloutlab.reports;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One gate checked against the run: passed when {@code actual} lies within the bounds given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GateResult(String metric, Double max, Double min, Double actual, boolean passed) {
}
