package dev.rolloutlab.platform.local;

import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.local.FrontProxy.Endpoint;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Service's endpoints and routing as the proxy sees them: every change the replicas and the controller make
 * reaches the proxy only after the endpoint lag, in the order it was made, as an Endpoints update reaches kube-proxy.
 * This lag is what makes a termination without enough preStop drop requests, and why a replica counts as ready only
 * once the proxy sees it.
 *
 * <p>Every method runs under the platform's monitor, and so do the lag's timers. Once stopped, changes made before
 * are dropped and later ones ignored.
 */
final class EndpointPropagation {
    private static final Runnable NOTHING = () -> { };

    /** What is told the endpoints and routing once a change has propagated: the proxy, and the platform after it. */
    @FunctionalInterface
    interface Watcher {
        void update(List<Endpoint> endpoints, Routing routing);
    }

    private record Change(long seq, Runnable apply) {
    }

    private final Object monitor;
    private final Clock clock;
    private final Duration lag;
    private final Watcher watcher;
    /** Changes made and not yet seen by the proxy, oldest first. */
    private final ArrayDeque<Change> propagating = new ArrayDeque<>();
    /** What the proxy sees. */
    private final Set<Endpoint> published = new LinkedHashSet<>();
    private Routing routing = new Routing.AllReady();
    private long changes;
    private boolean stopped;

    /** @param monitor the platform's monitor, which guards this view as it guards the replicas that change it */
    EndpointPropagation(Object monitor, Clock clock, Duration lag, Watcher watcher) {
        this.monitor = monitor;
        this.clock = clock;
        this.lag = lag;
        this.watcher = watcher;
    }

    /** Puts a replica that passed readiness into the proxy's view after the lag. */
    void publish(Endpoint endpoint) {
        propagate(() -> published.add(endpoint), NOTHING);
    }

    /** Takes the endpoint out of the proxy's view after the lag. */
    void unpublish(Endpoint endpoint) {
        unpublish(endpoint, NOTHING);
    }

    /** Takes the endpoint out of the proxy's view after the lag, then runs {@code then}. */
    void unpublish(Endpoint endpoint, Runnable then) {
        propagate(() -> published.remove(endpoint), then);
    }

    /** Changes how the proxy routes over its endpoints, after the lag as an endpoint change. */
    void route(Routing routing) {
        propagate(() -> this.routing = routing, NOTHING);
    }

    /** Whether the proxy sees the endpoint now. */
    boolean published(Endpoint endpoint) {
        return published.contains(endpoint);
    }

    /** Drops the changes still propagating; the proxy's view stays as it is. */
    void stop() {
        stopped = true;
        propagating.clear();
    }

    /**
     * Applies {@code change} to the proxy's view once the lag has passed. Each change's timer applies every change up
     * to it, so changes take effect in the order they were made whatever order timers fire in.
     */
    private void propagate(Runnable change, Runnable then) {
        if (stopped) {
            return;
        }
        long seq = ++changes;
        propagating.add(new Change(seq, change));
        clock.schedule(lag, () -> applyThrough(seq, then));
    }

    private void applyThrough(long seq, Runnable then) {
        synchronized (monitor) {
            if (stopped) {
                return;
            }
            boolean changed = false;
            while (!propagating.isEmpty() && propagating.peek().seq() <= seq) {
                propagating.poll().apply().run();
                changed = true;
            }
            if (changed) {
                watcher.update(List.copyOf(published), routing);
            }
            then.run();
        }
    }
}
