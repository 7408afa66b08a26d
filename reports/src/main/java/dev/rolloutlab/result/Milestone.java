package dev.rolloutlab.result;

/**
 * The moments of a rollout every metric of the rollout is measured from, named the same from the strategy that
 * reaches them to the {@code milestones} of result.json. {@link #RESTORED} is the one no strategy reaches: the
 * metrics find it in the traffic (see {@code rollbackSeconds}).
 */
public enum Milestone {
    /** The strategy began: {@code rollout-start}. */
    START(EventType.ROLLOUT_START),
    /** The rollback was decided (analysis verdict or scripted): {@code rollback}. */
    DECISION(EventType.ROLLBACK),
    /** Users are served by the stable version again after the decision: not an event, found in the traffic. */
    RESTORED(null),
    /** The candidate is fully promoted: {@code rollout-complete}. */
    PROMOTED(EventType.ROLLOUT_COMPLETE),
    /** The stable version is fully back and the candidate gone: {@code rollback-complete}. */
    ROLLED_BACK(EventType.ROLLBACK_COMPLETE),
    /** The rollout stopped making progress: {@code rollout-failed}. */
    FAILED(EventType.ROLLOUT_FAILED);

    private final EventType event;

    Milestone(EventType event) {
        this.event = event;
    }

    /** The event that marks it, or null for {@link #RESTORED}. */
    public EventType event() {
        return event;
    }

    /** Told each milestone as the rollout reaches it, at its clock time in nanoseconds since load start. */
    @FunctionalInterface
    public interface Listener {
        void reached(Milestone milestone, long nanos);
    }
}
