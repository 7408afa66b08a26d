package dev.rolloutlab.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Something that happened during a run: a step, a fault, a verdict, a replica transition. */
public record Event(double t, String type, Map<String, Object> detail) {
    public Event {
        detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    public Event(double t, EventType type, Map<String, Object> detail) {
        this(t, type.key(), detail);
    }

    /** Whether this event is of {@code type}. */
    public boolean is(EventType type) {
        return type.key().equals(this.type);
    }

    /** This event's type, or null for a type this build does not know (a newer file's). */
    public EventType kind() {
        return EventType.of(type);
    }
}
