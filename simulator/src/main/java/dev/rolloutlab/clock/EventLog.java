package dev.rolloutlab.clock;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Every action of a run, stamped with the clock's time. Thread-safe. */
public final class EventLog {
    private final Clock clock;
    private final List<Event> events = new ArrayList<>();
    private final List<Consumer<Event>> listeners = new ArrayList<>();

    public EventLog(Clock clock) {
        this.clock = clock;
    }

    /** @param detail alternating keys and values */
    public Event add(EventType type, Object... detail) {
        return addAt(clock.nanos(), type, detail);
    }

    /**
     * An event that happened at {@code nanos} on the clock, before it could be logged: a fault takes effect when it
     * is applied, and the work between that instant and the log must not move it later.
     */
    public Event addAt(long nanos, EventType type, Object... detail) {
        if (detail.length % 2 != 0) {
            throw new IllegalArgumentException("detail must be key/value pairs");
        }
        Map<String, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < detail.length; i += 2) {
            d.put((String) detail[i], detail[i + 1]);
        }
        Event e = new Event(Math.round(nanos / 1e6) / 1e3, type, d);
        List<Consumer<Event>> notify;
        synchronized (this) {
            events.add(e);
            notify = List.copyOf(listeners);
        }
        notify.forEach(l -> l.accept(e));
        return e;
    }

    /** Shifts the events logged so far when the clock's time 0 moves forward by {@code nanos}. */
    public synchronized void rebase(long nanos) {
        double shift = nanos / 1e9;
        events.replaceAll(e -> new Event(Math.round((e.t() - shift) * 1e3) / 1e3, e.type(), e.detail()));
    }

    public synchronized void onEvent(Consumer<Event> listener) {
        listeners.add(listener);
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }
}
