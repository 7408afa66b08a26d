package dev.rolloutlab.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Something that happened during a run: a step, a fault, a verdict, a replica transition. */
public record Event(double t, String type, Map<String, Object> detail) {
    public Event {
        detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }
}
