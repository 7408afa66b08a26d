package dev.rolloutlab.platform;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.clock.EventLog;

/**
 * The replica events every platform logs ({@code replica-started}, {@code -ready}, {@code -not-ready},
 * {@code -crashed}, {@code -restarted}, {@code -terminating}, {@code -terminated}), with the same detail on each:
 * the pod, its version and cell, then what the event adds. Replica counts and reports read them alike from any
 * platform.
 */
public final class ReplicaEvents {
    private ReplicaEvents() {
    }

    public static void log(EventLog events, EventType type, String pod, ReplicaSet set, Object... extra) {
        Object[] detail = new Object[6 + extra.length];
        detail[0] = "pod";
        detail[1] = pod;
        detail[2] = "version";
        detail[3] = set.version();
        detail[4] = "cell";
        detail[5] = set.cell();
        System.arraycopy(extra, 0, detail, 6, extra.length);
        events.add(type, detail);
    }
}
