package dev.rolloutlab.platform.local;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.platform.ReplicaEvents;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.local.FrontProxy.Endpoint;
import dev.rolloutlab.scenario.Readiness;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.Termination;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * One pod of the local platform, run as the kubelet runs one. Its container starts at once and listens when it is
 * ready to; readiness probes (real HTTP GETs) put it into the Service's endpoints after one success and take it out
 * after {@code failureThreshold} consecutive failures; a container that exits on its own is restarted in place after
 * a crash-loop back-off. A termination removes the endpoint and, in parallel, waits {@code preStop} before stopping
 * the container gracefully, so requests are dropped exactly when the endpoint lag outlasts the preStop.
 *
 * <p>Every start and termination is logged exactly once ({@code replica-started}, {@code replica-terminated}):
 * the run counts the replicas it pays for from them. Restarts keep the pod, so they log {@code replica-restarted}.
 * Every method runs under the platform's monitor.
 */
final class LocalReplica {
    private enum State { RUNNING, BACKING_OFF, TERMINATING, TERMINATED }

    private final LocalPlatform platform;
    private final Clock clock;
    private final Service service;
    private final EndpointPropagation endpoints;
    private final ReadinessProber prober;
    private final LocalFaultInjector faults;
    private final ReplicaSet set;
    private final String pod;
    private final int seq;
    private State state = State.RUNNING;
    private Container container;
    private Endpoint endpoint;
    private boolean ready;
    private int failures;
    /** A probe of the current container is out and unanswered. */
    private boolean probing;
    private int restarts;
    /** The next probe, the restart, or the end of preStop: a replica waits for one thing at a time. */
    private Clock.Cancellable timer = () -> { };

    LocalReplica(LocalPlatform platform, ReplicaSet set, int seq) {
        this.platform = platform;
        this.clock = platform.clock();
        this.service = platform.service();
        this.endpoints = platform.endpoints();
        this.prober = platform.prober();
        this.faults = platform.faults();
        this.set = set;
        this.seq = seq;
        this.pod = set.version() + (set.cell() > 0 ? "-c" + set.cell() : "") + "-" + seq;
    }

    ReplicaSet set() {
        return set;
    }

    String pod() {
        return pod;
    }

    /** Creation order: the controller scales down the newest first, a kill picks the oldest. */
    int seq() {
        return seq;
    }

    int restarts() {
        return restarts;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Not terminating: what the controller counts towards the desired replicas. */
    boolean live() {
        return state == State.RUNNING || state == State.BACKING_OFF;
    }

    /** Passing readiness; whether the proxy already routes to it is the {@link EndpointPropagation}'s view. */
    boolean ready() {
        return state == State.RUNNING && ready;
    }

    void start() {
        log(EventType.REPLICA_STARTED);
        launch();
    }

    private void launch() {
        int port = freePort();
        endpoint = Endpoint.of(pod, set.version(), set.cell(), port);
        Container c = platform.container(set.version(), pod, port);
        container = c;
        c.start(code -> locked(() -> exited(c, code)));
        failures = 0;
        probing = false;
        probe();
    }

    /**
     * Probes every period, as the kubelet's prober does: a probe still unanswered when the next is due makes that
     * one skipped, so a timeout longer than the period never stacks probes up. An inconclusive probe (the platform's
     * own loops lagged) counts neither way.
     */
    private void probe() {
        if (state != State.RUNNING) {
            return;
        }
        Readiness readiness = service.readiness();
        timer = clock.schedule(readiness.period(), () -> locked(this::probe));
        if (probing) {
            return;
        }
        probing = true;
        Container probed = container;
        prober.probe(endpoint).onComplete(verdict -> locked(() -> {
            if (probed != container) {
                return;
            }
            probing = false;
            if (state == State.RUNNING && verdict.result() != Probe.INCONCLUSIVE) {
                probed(verdict.result() == Probe.PASSED, readiness.failureThreshold());
            }
        }));
    }

    private void probed(boolean passed, int failureThreshold) {
        if (passed) {
            failures = 0;
            if (!ready) {
                ready = true;
                log(EventType.REPLICA_READY);
                endpoints.publish(endpoint);
            }
        } else if (++failures >= failureThreshold && ready) {
            notReady();
        }
    }

    private void notReady() {
        ready = false;
        log(EventType.REPLICA_NOT_READY);
        endpoints.unpublish(endpoint);
    }

    /** The container ended: a crash unless the replica ended it. */
    private void exited(Container c, int code) {
        if (c == container && state == State.RUNNING) {
            crashed(code);
        }
    }

    private void crashed(int code) {
        timer.cancel();
        log(EventType.REPLICA_CRASHED, "exitCode", code);
        if (ready) {
            notReady();
        }
        state = State.BACKING_OFF;
        timer = clock.schedule(platform.backoff().delay(restarts), () -> locked(this::restart));
    }

    /** A crash-loop's restart starts a container that dies at once, until the fault ends. */
    private void restart() {
        if (state != State.BACKING_OFF) {
            return;
        }
        restarts++;
        state = State.RUNNING;
        log(EventType.REPLICA_RESTARTED, "restarts", restarts);
        if (faults.crashLooping(this)) {
            crashed(DemoService.CRASH_EXIT_CODE);
        } else {
            launch();
        }
    }

    /** An injected crash: the container dies now, and the replica restarts it after the back-off as after any. */
    void crash() {
        if (state == State.RUNNING) {
            container.kill();
            crashed(DemoService.CRASH_EXIT_CODE);
        }
    }

    /** Freezes or thaws the container's processes (pause fault); a replica backing off or gone has none. */
    void freeze(boolean frozen) {
        if (state == State.RUNNING || state == State.TERMINATING) {
            container.freeze(frozen);
        }
    }

    /** Starts ({@code share} > 0) or ends a stressor in the running container; see {@link LocalFaultInjector#start}. */
    void stress(double share) {
        if (state == State.RUNNING && container instanceof Container.InProcess demo) {
            demo.stress(share);
        }
    }

    /**
     * Graceful termination, as when a pod is deleted: the endpoint removal reaches the proxy after the endpoint lag
     * while, in parallel, the container keeps serving for {@code preStop} and then drains for up to
     * {@code gracePeriod}. When preStop is at least the lag, the stop is chained after the removal, so that equal
     * durations cannot race.
     */
    void terminate() {
        if (!live()) {
            return;
        }
        timer.cancel();
        state = State.TERMINATING;
        ready = false;
        log(EventType.REPLICA_TERMINATING);
        Termination termination = service.termination();
        Duration lag = service.endpointLag();
        Runnable stop = () -> locked(() -> {
            if (state == State.TERMINATING) {
                container.stop(termination.gracePeriod()).onComplete(stopped -> locked(this::terminated));
            }
        });
        if (termination.preStop().compareTo(lag) < 0) {
            endpoints.unpublish(endpoint);
            timer = clock.schedule(termination.preStop(), stop);
        } else {
            endpoints.unpublish(endpoint, () -> timer = clock.schedule(termination.preStop().minus(lag), stop));
        }
    }

    private void terminated() {
        if (state == State.TERMINATING) {
            state = State.TERMINATED;
            log(EventType.REPLICA_TERMINATED, "reason", "deleted");
            platform.gone(this);
        }
    }

    /**
     * Ends the replica at once, as SIGKILL and a forced delete do: connections reset, in-flight requests lost. The
     * proxy keeps routing to it until the endpoint removal has propagated.
     */
    Future<Void> kill(String reason) {
        if (state == State.TERMINATED) {
            return Future.succeededFuture();
        }
        timer.cancel();
        state = State.TERMINATED;
        ready = false;
        endpoints.unpublish(endpoint);
        Future<Void> killed = container.kill();
        log(EventType.REPLICA_TERMINATED, "reason", reason);
        platform.gone(this);
        return killed;
    }

    private void log(EventType type, Object... extra) {
        ReplicaEvents.log(platform.events(), type, pod, set, extra);
    }

    /** Timers, probe answers and exits arrive on any thread. */
    private void locked(Runnable action) {
        synchronized (platform) {
            action.run();
        }
    }

    /** Each container start gets a fresh port, as a process that binds what is free when it starts. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
