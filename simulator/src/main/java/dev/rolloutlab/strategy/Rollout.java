package dev.rolloutlab.strategy;

import dev.rolloutlab.engine.Clock;
import dev.rolloutlab.engine.EventLog;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.scenario.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The shared state of one rollout, so that strategy files stay about decisions: the platform, the clock, the event
 * log, and the rollout's milestones as the metrics read them ({@code rollout-start}, {@code rollout-complete},
 * {@code rollback}, {@code rollback-complete}, in nanoseconds since load start).
 */
public final class Rollout {
    /** How often conditions a strategy waits for are checked, like a controller's resync. */
    static final Duration POLL = Duration.ofMillis(20);

    private final Platform platform;
    private final Clock clock;
    private final EventLog events;
    private final Service service;
    private final dev.rolloutlab.scenario.Strategy spec;
    private final List<Clock.Cancellable> pending = new ArrayList<>();
    private Strategy strategy;
    private Long startedAt;
    private Long completedAt;
    private Long rollbackAt;
    private Long rollbackCompleteAt;
    private String outcome;

    public Rollout(Platform platform, Clock clock, EventLog events, Service service,
                   dev.rolloutlab.scenario.Strategy spec) {
        this.platform = platform;
        this.clock = clock;
        this.events = events;
        this.service = service;
        this.spec = spec;
    }

    /** Starts {@code strategy} now. */
    public void begin(Strategy strategy) {
        this.strategy = strategy;
        startedAt = clock.nanos();
        events.add("rollout-start", "strategy", spec.type(), "from", service.stable().version(), "to",
            service.candidate().version());
        strategy.start();
    }

    /** The rollback decision (analysis verdict or scripted abort); ignored once the rollout has ended. */
    public void abort(String reason) {
        if (outcome != null || rollbackAt != null || strategy == null) {
            return;
        }
        rollbackAt = clock.nanos();
        events.add("rollback", "reason", reason);
        cancelPending();
        strategy.rollback();
    }

    /** The candidate is fully promoted. */
    public void promoted() {
        finish("promoted", "rollout-complete");
    }

    /** The stable version is fully available again and the candidate scaled to zero. */
    public void rollbackComplete() {
        rollbackCompleteAt = clock.nanos();
        finish("rolled-back", "rollback-complete");
    }

    /** The rollout cannot go on (e.g. its progress deadline passed); nothing is rolled back automatically. */
    public void failed(String reason) {
        finish("failed", "rollout-failed", "reason", reason);
    }

    private void finish(String result, String event, Object... detail) {
        if (outcome != null) {
            return;
        }
        outcome = result;
        completedAt = clock.nanos();
        cancelPending();
        events.add(event, detail);
    }

    /** Logs a step of the plan, e.g. {@code step("set-weight", "weight", 10)}. */
    public void step(String type, Object... detail) {
        events.add(type, detail);
    }

    /** Runs {@code then} once {@code condition} holds, checking every {@link #POLL}. */
    public void when(BooleanSupplier condition, Runnable then) {
        if (condition.getAsBoolean()) {
            then.run();
            return;
        }
        pending.add(clock.schedule(POLL, () -> when(condition, then)));
    }

    /** Runs {@code then} after {@code delay}, unless the rollout ends or aborts first. */
    public void after(Duration delay, Runnable then) {
        pending.add(clock.schedule(delay, then));
    }

    private void cancelPending() {
        pending.forEach(Clock.Cancellable::cancel);
        pending.clear();
    }

    public Platform platform() {
        return platform;
    }

    public Clock clock() {
        return clock;
    }

    public Service service() {
        return service;
    }

    public dev.rolloutlab.scenario.Strategy spec() {
        return spec;
    }

    public boolean ended() {
        return outcome != null;
    }

    public boolean rollingBack() {
        return rollbackAt != null;
    }

    /** {@code promoted | rolled-back | failed}, or null while the rollout runs. */
    public String outcome() {
        return outcome;
    }

    public Long startedAt() {
        return startedAt;
    }

    public Long completedAt() {
        return completedAt;
    }

    public Long rollbackAt() {
        return rollbackAt;
    }

    public Long rollbackCompleteAt() {
        return rollbackCompleteAt;
    }
}
