package dev.rolloutlab.scenario;

import java.time.Duration;

/**
 * One canary step; exactly one field is set: {@code setWeight} (percent of traffic to the candidate, 0..100),
 * {@code pause} (hold the current weight) or {@code analysis} (hold and judge the candidate by the analysis rules).
 */
public record Step(Integer setWeight, Duration pause, Duration analysis) {
}
