package dev.rolloutlab.platform;

import io.vertx.core.Future;
import java.net.URI;

/**
 * What a strategy can ask of a platform, in Kubernetes terms: replica sets of a version scaled to a count, and how
 * the Service routes traffic among ready replicas. Calls return at once; replicas then start, turn ready, crash
 * and terminate on their own schedule, which {@link #status} and the run's events show. Platforms never know
 * strategies.
 */
public interface Platform {
    /**
     * Deploys the stable version ({@code service.replicas}, spread over {@code cells} cells when more than 1), routes
     * to it, and completes with the URL clients send to once every replica is ready.
     */
    Future<URI> start();

    /** Sets the desired replica count of a set; the platform creates the set with its version's spec on first use. */
    void scale(ReplicaSet set, int replicas);

    ReplicaSetStatus status(ReplicaSet set);

    /** Changes how the Service routes; takes effect after the platform's endpoint propagation lag. */
    void route(Routing routing);

    /**
     * Has the platform's own Deployment controller replace {@code from} by {@code to}: the Deployment running
     * {@code from} gets {@code to}'s pod template and {@code how} as its strategy, and the controller then scales the
     * old and new pods while the caller only watches {@link #status}. Returns false on a platform without such a
     * controller; the strategy then scales the two replica sets itself, as the controller would.
     */
    default boolean updateInPlace(String from, String to, DeploymentUpdate how) {
        return false;
    }

    /** Stops every replica and process the platform started. */
    Future<Void> stop();
}
