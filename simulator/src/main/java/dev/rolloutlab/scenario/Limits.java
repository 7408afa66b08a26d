package dev.rolloutlab.scenario;

import java.time.Duration;

/**
 * The ranges a scenario's values must lie in (README, Scenario reference): beyond them a value could only overflow a
 * time, exhaust memory, or starve the tool's own event loops, and the run would then report the tool's trouble as the
 * service's. {@code validate} refuses them first, with the file position.
 */
final class Limits {
    /** Requests per second of one run: well beyond what one machine's generator sustains (README, Capacity). */
    static final int RATE = 1_000_000;
    /** The longest duration of anything: a load, a ramp, a fault, a probe period. */
    static final Duration LONGEST = Duration.ofHours(24);
    /** A request timeout: longer is a hang, which a timeout exists to end. */
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** Users tagged on requests: the recorder keeps two bits each. */
    static final int USERS = 10_000_000;
    /** Connections one generator keeps: beyond what one process's file descriptors allow. */
    static final int CONNECTIONS = 100_000;
    /** A readiness probe period: shorter would keep the platform's loops busy probing. */
    static final Duration PROBE_PERIOD_MIN = Duration.ofMillis(10);
    /** An analysis interval: shorter would starve the event loop the rollout runs on. */
    static final Duration ANALYSIS_INTERVAL_MIN = Duration.ofMillis(100);
    /** Runs of one scenario by {@code repeat}: each takes its whole duration, and a thousand is days already. */
    static final int REPEAT = 1_000;
    /** A scenario name names the report folder, with a start time beside it. */
    static final int NAME_LENGTH = 100;

    private Limits() {
    }
}
