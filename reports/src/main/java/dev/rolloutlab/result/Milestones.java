package dev.rolloutlab.result;

import java.util.List;
import java.util.Map;

/**
 * When the rollout reached each {@link Milestone}, in seconds since load start; null for one it did not reach. An
 * undo (a rollback after the promotion) has both {@code promoted} and {@code rolledBack}.
 */
public record Milestones(Double start, Double decision, Double restored, Double promoted, Double rolledBack,
                         Double failed) {
    public static final Milestones NONE = new Milestones(null, null, null, null, null, null);

    /** From the times the rollout reached them, in nanoseconds since load start. */
    public static Milestones of(Map<Milestone, Long> nanos) {
        return new Milestones(seconds(nanos, Milestone.START), seconds(nanos, Milestone.DECISION),
            seconds(nanos, Milestone.RESTORED), seconds(nanos, Milestone.PROMOTED),
            seconds(nanos, Milestone.ROLLED_BACK), seconds(nanos, Milestone.FAILED));
    }

    /**
     * For a result written before milestones were recorded: the first event of each, and traffic restored at the
     * decision plus {@code rollbackSeconds} when it was restored.
     */
    static Milestones fromEvents(List<Event> events, Metrics metrics) {
        Double decision = first(events, Milestone.DECISION);
        Double restored = decision == null || metrics == null || metrics.rollbackSeconds() == null
            || !Boolean.TRUE.equals(metrics.trafficRestored()) ? null : decision + metrics.rollbackSeconds();
        return new Milestones(first(events, Milestone.START), decision, restored, first(events, Milestone.PROMOTED),
            first(events, Milestone.ROLLED_BACK), first(events, Milestone.FAILED));
    }

    private static Double first(List<Event> events, Milestone m) {
        return events.stream().filter(e -> e.is(m.event())).map(Event::t).findFirst().orElse(null);
    }

    private static Double seconds(Map<Milestone, Long> nanos, Milestone m) {
        Long n = nanos.get(m);
        return n == null ? null : Math.round(n / 1e6) / 1e3;
    }
}
