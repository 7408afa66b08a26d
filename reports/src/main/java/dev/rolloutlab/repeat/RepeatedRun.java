package dev.rolloutlab.repeat;

import java.time.Instant;

/**
 * One run of a repeat.
 *
 * @param folder  its folder, relative to the repeat's ({@code run-1})
 * @param outcome its outcome, as in its result.json
 */
public record RepeatedRun(String folder, String outcome, Instant startedAt) {
}
