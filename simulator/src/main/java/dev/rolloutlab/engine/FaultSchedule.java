package dev.rolloutlab.engine;

import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultPort;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's faults on the run's clock, carried out by whatever platform implements the {@link FaultPort}: each
 * starts at {@code at} and, when it lasts, ends at {@code at + duration}. {@link #cancel()} calls off what has not
 * happened yet and ends what is active, so an aborted or failed run leaves no fault behind.
 */
public final class FaultSchedule {
    private final FaultPort port;
    private final List<Clock.Cancellable> pending = new ArrayList<>();
    private boolean cancelled;

    private FaultSchedule(FaultPort port) {
        this.port = port;
    }

    public static FaultSchedule start(Clock clock, List<Fault> faults, FaultPort port) {
        FaultSchedule schedule = new FaultSchedule(port);
        for (Fault f : faults) {
            schedule.pending.add(clock.at(f.at().toNanos(), () -> port.start(f)));
            if (f.duration() != null) {
                schedule.pending.add(clock.at(f.at().plus(f.duration()).toNanos(), () -> port.end(f)));
            }
        }
        return schedule;
    }

    /** Calls off the faults still to come and ends every active one; once, however often it is called. */
    public synchronized void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        pending.forEach(Clock.Cancellable::cancel);
        port.endAll();
    }
}
