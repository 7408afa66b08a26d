package dev.rolloutlab.chaos;

/**
 * What a platform implements to carry faults out, so the fault vocabulary stays platform-neutral: the engine
 * schedules each fault on its clock, calling {@link #start} at {@code at} and, for a fault with a duration,
 * {@link #end} at {@code at + duration}. Each call logs the platform's own {@code fault-start} / {@code fault-end}
 * event with what it hit.
 */
public interface FaultPort {
    /** Starts the fault now. */
    void start(Fault fault);

    /** Ends a fault with a duration that {@link #start} started; a no-op for instant faults (kill). */
    void end(Fault fault);

    /** Ends every fault still active: the run is over, aborted or failed. */
    void endAll();
}
