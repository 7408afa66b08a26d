package dev.rolloutlab.analysis;

import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.platform.Routing;
import io.vertx.core.Future;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** Replica set statuses the test sets; the analysis only reads {@link #status}. */
final class StubPlatform implements Platform {
    private final Map<ReplicaSet, ReplicaSetStatus> statuses = new HashMap<>();

    void set(ReplicaSet set, int running, int ready, int restarts) {
        statuses.put(set, new ReplicaSetStatus(running, running, ready, restarts));
    }

    @Override
    public ReplicaSetStatus status(ReplicaSet set) {
        return statuses.getOrDefault(set, ReplicaSetStatus.NONE);
    }

    @Override
    public Future<URI> start() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void scale(ReplicaSet set, int replicas) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void route(Routing routing) {
        throw new UnsupportedOperationException();
    }

    public int runningReplicas() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> stop() {
        throw new UnsupportedOperationException();
    }
}
