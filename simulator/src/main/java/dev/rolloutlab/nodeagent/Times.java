package dev.rolloutlab.nodeagent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as the API server stores them: RFC 3339 in whole seconds, or microseconds for a Lease's MicroTime. */
final class Times {
    private Times() {
    }

    static String format(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code 2026-11-29T08:00:00.123456Z}: a MicroTime always carries six fraction digits. */
    static String micro(Instant t) {
        Instant us = t.truncatedTo(ChronoUnit.MICROS);
        String s = us.truncatedTo(ChronoUnit.SECONDS).toString();
        return s.substring(0, s.length() - 1) + String.format(".%06dZ", us.getNano() / 1000);
    }
}
