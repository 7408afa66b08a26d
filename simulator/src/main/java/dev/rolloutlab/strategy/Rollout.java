package dev.rolloutlab.strategy;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.Milestone;
import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.platform.DeploymentUpdate;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.StrategySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The shared state of one rollout, so that strategy files stay about decisions: the platform, the clock, the event
 * log, and the {@link Milestone}s the rollout reaches, told to its listeners as they happen (in nanoseconds since
 * load start) and logged as their events.
 */
public final class Rollout {
    /** How often conditions a strategy waits for are checked, like a controller's resync. */
    static final Duration POLL = Duration.ofMillis(20);

    private final Platform platform;
    private final Clock clock;
    private final EventLog events;
    private final Service service;
    private final StrategySpec spec;
    private final Set<Clock.Cancellable> pending = new HashSet<>();
    private Strategy strategy;
    private final Map<Milestone, Long> reached = new EnumMap<>(Milestone.class);
    private final List<Milestone.Listener> listeners = new ArrayList<>();
    private String outcome;
    private int cellsExposed;

    public Rollout(Platform platform, Clock clock, EventLog events, Service service, StrategySpec spec) {
        this.platform = platform;
        this.clock = clock;
        this.events = events;
        this.service = service;
        this.spec = spec;
    }

    /** Tells {@code listener} each milestone as it is reached; call before {@link #begin}. */
    public Rollout onMilestone(Milestone.Listener listener) {
        listeners.add(listener);
        return this;
    }

    /** Starts {@code strategy} now. */
    public void begin(Strategy strategy) {
        this.strategy = strategy;
        reach(Milestone.START, "strategy", spec.type().yamlName(), "from", stable(), "to", candidate());
        strategy.start();
    }

    /**
     * The rollback decision (analysis verdict or scripted abort). After a promotion it is a rollout undo: the
     * strategy rolls back from the promoted state, as {@code kubectl rollout undo} redeploys the previous revision,
     * and the rollout then ends at {@code rollback-complete}. Ignored once rolled back or failed.
     */
    public void abort(String reason) {
        boolean undo = "promoted".equals(outcome);
        if ((outcome != null && !undo) || reached.containsKey(Milestone.DECISION) || strategy == null) {
            return;
        }
        outcome = null;
        reach(Milestone.DECISION, "reason", reason, "afterPromotion", undo);
        cancelPending();
        strategy.rollback();
    }

    /** The candidate is fully promoted. */
    public void promoted() {
        finish("promoted", Milestone.PROMOTED);
    }

    /** The stable version is fully available again and the candidate scaled to zero. */
    public void rollbackComplete() {
        finish("rolled-back", Milestone.ROLLED_BACK);
    }

    /** The rollout cannot go on (e.g. its progress deadline passed); nothing is rolled back automatically. */
    public void failed(String reason) {
        finish("failed", Milestone.FAILED, "reason", reason);
    }

    /** As Kubernetes' {@code ProgressDeadlineExceeded}: the rollout stopped making progress for too long. */
    void progressDeadlineExceeded() {
        failed("no progress within the progress deadline of " + Durations.format(spec.progressDeadline()));
    }

    private void finish(String result, Milestone milestone, Object... detail) {
        if (outcome != null) {
            return;
        }
        outcome = result;
        cancelPending();
        reach(milestone, detail);
    }

    private void reach(Milestone milestone, Object... detail) {
        long now = clock.nanos();
        reached.put(milestone, now);
        // One instant for the milestone and its event, so the two never differ by a clock tick.
        events.addAt(now, milestone.event(), detail);
        listeners.forEach(l -> l.reached(milestone, now));
    }

    /** Logs a step of the plan, e.g. {@code step(EventType.SET_WEIGHT, "weight", 10)}. */
    public void step(EventType type, Object... detail) {
        events.add(type, detail);
    }

    /**
     * Sets a set's desired count and logs it as a {@code scale} step; a count the set already has is no step, so a
     * controller loop can call this on every pass.
     */
    void scale(ReplicaSet set, int replicas) {
        if (platform.status(set).desired() != replicas) {
            step(EventType.SCALE, "set", set.toString(), "replicas", replicas);
            platform.scale(set, replicas);
        }
    }

    /** Changes the routing, logged as the step that decided it (e.g. {@code switch}, {@code set-weight}). */
    void route(Routing routing, EventType type, Object... detail) {
        step(type, detail);
        platform.route(routing);
    }

    /**
     * Asks the platform's Deployment controller to replace {@code from} by {@code to} as {@code how} says, logged as
     * a {@code deployment-update} step; false (nothing logged) when the platform has no such controller and the
     * strategy must scale the replica sets itself.
     */
    boolean updateInPlace(String from, String to, DeploymentUpdate how) {
        if (!platform.updateInPlace(from, to, how)) {
            return false;
        }
        step(EventType.DEPLOYMENT_UPDATE, "from", from, "to", to, "strategy",
            how.type() == DeploymentUpdate.Type.RECREATE ? "Recreate" : "RollingUpdate");
        return true;
    }

    /** Every replica of {@code to} is ready and none of {@code from} runs any more. */
    boolean replaced(ReplicaSet from, ReplicaSet to) {
        return status(to).ready() >= replicas() && status(from).running() == 0;
    }

    ReplicaSetStatus status(ReplicaSet set) {
        return platform.status(set);
    }

    /** Scales {@code set} to {@code replicas} and runs {@code then} once that many are ready. */
    void scaleUp(ReplicaSet set, int replicas, Runnable then) {
        scale(set, replicas);
        when(() -> status(set).ready() >= replicas, then);
    }

    /**
     * Runs {@code then} at once while {@code set} is still meant to run {@code replicas}; once it has been scaled
     * down, scales it back up and runs {@code then} when it is ready, so traffic is never sent to a set that is gone.
     */
    void restore(ReplicaSet set, int replicas, Runnable then) {
        if (status(set).desired() >= replicas) {
            then.run();
        } else {
            scaleUp(set, replicas, then);
        }
    }

    /** Scales {@code set} to zero and runs {@code then} once none of its replicas runs any more. */
    void scaleToZero(ReplicaSet set, Runnable then) {
        scale(set, 0);
        when(() -> status(set).running() == 0, then);
    }

    /** Completes the rollback once {@code stable} has {@code replicas} ready and nothing of {@code candidate} runs. */
    void rollbackCompleteWhenRestored(ReplicaSet stable, int replicas, ReplicaSet candidate) {
        when(() -> status(stable).ready() >= replicas && status(candidate).running() == 0, this::rollbackComplete);
    }

    /** Logs a timed step of the plan (a pause, a bake) with its duration in seconds and runs {@code then} after it. */
    void hold(EventType type, Duration duration, Runnable then) {
        step(type, "duration", duration.toNanos() / 1e9);
        after(duration, then);
    }

    /** Counts a cell as exposed to the candidate (cell-based), logged as {@code cell-exposed}. */
    void cellExposed(int cell) {
        cellsExposed++;
        step(EventType.CELL_EXPOSED, "cell", cell);
    }

    /**
     * Runs {@code then} once {@code condition} holds, checking every {@link #POLL}. A wait that lasts the whole
     * progress deadline fails the rollout: every strategy waits only for replicas to start or stop, which a healthy
     * platform does well within it.
     */
    public void when(BooleanSupplier condition, Runnable then) {
        await(clock.nanos() + spec.progressDeadline().toNanos(), condition, then);
    }

    private void await(long deadline, BooleanSupplier condition, Runnable then) {
        if (condition.getAsBoolean()) {
            then.run();
        } else if (clock.nanos() >= deadline) {
            progressDeadlineExceeded();
        } else {
            after(POLL, () -> await(deadline, condition, then));
        }
    }

    /** Runs {@code then} after {@code delay}, unless the rollout ends or aborts first. */
    public void after(Duration delay, Runnable then) {
        Clock.Cancellable[] self = new Clock.Cancellable[1];
        self[0] = clock.schedule(delay, () -> {
            pending.remove(self[0]);
            then.run();
        });
        pending.add(self[0]);
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

    public StrategySpec spec() {
        return spec;
    }

    /** {@code service.replicas}: the capacity every strategy keeps or restores. */
    int replicas() {
        return service.replicas();
    }

    String stable() {
        return service.stable().version();
    }

    String candidate() {
        return service.candidate().version();
    }

    public boolean ended() {
        return outcome != null;
    }

    /** {@code promoted | rolled-back | failed}, or null while the rollout runs. */
    public String outcome() {
        return outcome;
    }

    /** When the rollout reached {@code milestone}, in nanoseconds since load start, or null. */
    public Long at(Milestone milestone) {
        return reached.get(milestone);
    }

    /** The milestones reached so far. */
    public Map<Milestone, Long> milestones() {
        return new EnumMap<>(reached);
    }

    /** Cells that received the candidate (cell-based; 0 for the other strategies). */
    public int cellsExposed() {
        return cellsExposed;
    }
}
