package dev.rolloutlab.cli;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C or SIGTERM to {@code run} or {@code compare} ends with exit 130 from the first moment of the process, not
 * only once a run has registered its own handler (which stops the load and writes what was measured first): before
 * that, the JVM's default would exit 143.
 */
final class Interrupts {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static volatile boolean exiting;

    private Interrupts() {
    }

    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!exiting && RUNS.get() == 0) {
                Runtime.getRuntime().halt(Main.EXIT_INTERRUPTED);
            }
        }, "rollout-lab-interrupt"));
    }

    /** The process is ending on its own, with the command's exit code. */
    static void exiting() {
        exiting = true;
    }

    /** A run's own handler is in place from now until {@link #runEnded()}; it decides the exit. */
    static void runStarted() {
        RUNS.incrementAndGet();
    }

    static void runEnded() {
        RUNS.decrementAndGet();
    }
}
