package dev.rolloutlab.nodeagent;

import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.platform.kubernetes.objects.DemoArgs;
import dev.rolloutlab.platform.local.Container;
import dev.rolloutlab.platform.local.Probe;
import dev.rolloutlab.platform.local.ReadinessProber;
import dev.rolloutlab.scenario.Readiness;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The kubelet's work for one pod bound to one of the agent's Nodes: a loopback address of its own, its container
 * run in-process (the demo image) with the behaviour its args give, or as a local process (any other image), the pod spec's readiness probe, restarts after
 * a crash-loop back-off, the status written back through the status subresource after every change, and the
 * deletion sequence (preStop, SIGTERM with the rest of the grace period, kill at its end, delete with grace 0).
 *
 * <p>Runs the first container of the pod only; rollout-lab's pods have one. Every method runs under the kubelet's
 * monitor, since timers, probe answers and container exits arrive on Vert.x threads.
 */
final class PodRunner {
    /** {@code rollout-lab/demo:TAG}, with or without a registry in front. */
    private static final Pattern DEMO_IMAGE = Pattern.compile("(^|.*/)rollout-lab/demo:[^/]+$");

    /** What the container runs, and again at each restart. */
    private record Plan(String version, int port, Supplier<Container> container) {
    }

    private final Kubelet kubelet;
    private final Clock clock;
    private final String namespace;
    private final String name;
    private final io.fabric8.kubernetes.api.model.Container spec;
    private final String ip;
    private final Instant startTime = Instant.now();
    private final PodConditions conditions = new PodConditions();
    private Pod pod;
    private Container container;
    private Plan plan;
    /** How the current container exited, once it has. */
    private int exitCode;
    private int port;
    private SocketAddress probeAddress;
    private ReadinessProber prober;
    private int successThreshold = 1;
    private int failureThreshold = 3;
    private Duration period = Duration.ofSeconds(10);
    private Duration initialDelay = Duration.ZERO;
    private ContainerState state = waiting("ContainerCreating", null);
    private ContainerState lastState;
    private int restarts;
    private boolean ready;
    private int successes;
    private int failures;
    private boolean probing;
    private boolean terminating;
    private boolean gone;
    private String phase = "Pending";
    /** The next probe, the restart after a crash, or the end of preStop: one thing at a time. */
    private Clock.Cancellable timer = () -> { };

    PodRunner(Kubelet kubelet, Pod pod, String ip) {
        this.kubelet = kubelet;
        this.clock = kubelet.clock();
        this.pod = pod;
        this.namespace = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.spec = pod.getSpec().getContainers().get(0);
        this.ip = ip;
    }

    String key() {
        return namespace + "/" + name;
    }

    String uid() {
        return pod.getMetadata().getUid();
    }

    String ip() {
        return ip;
    }

    void start() {
        Instant now = Instant.now();
        conditions.set(PodConditions.SCHEDULED, true, now);
        conditions.set(PodConditions.INITIALIZED, true, now);
        conditions.set(PodConditions.CONTAINERS_READY, false, now);
        conditions.set(PodConditions.READY, false, now);
        Plan plan;
        try {
            ContainerEnv env = ContainerEnv.of(pod, spec, PodAddresses.clusterIp(ip), kubelet.hostIp());
            plan = DEMO_IMAGE.matcher(spec.getImage()).matches() ? demo(env) : process(env);
        } catch (IllegalArgumentException e) {
            state = waiting("RunContainerError", e.getMessage());
            kubelet.print(key(), "waiting: RunContainerError: " + e.getMessage());
            writeStatus();
            return;
        }
        port = plan.port();
        readinessProbe();
        launch(plan);
    }

    /** The demo image, in this JVM on the pod's address, with the behaviour its args give. */
    private Plan demo(ContainerEnv env) {
        DemoArgs.Options options = DemoArgs.parse(env.expand(spec.getArgs()));
        String podName = options.pod != null ? options.pod : name;
        return new Plan(options.version, options.port, () -> new Container.InProcess(
            kubelet.vertx().getOrCreateContext(), ip, options.port, options.version, podName, options.behavior(),
            clock));
    }

    /**
     * Any other image: no image is pulled, the container's {@code command} and {@code args} run as a local process
     * (as the local platform runs {@code service.command}), with the container's env, {@code PORT} (the first
     * containerPort), {@code VERSION}, {@code POD}, and {@code HOST}, the pod's loopback address, which the server
     * must bind: every pod of a Deployment has the same port.
     */
    private Plan process(ContainerEnv env) {
        if (spec.getCommand().isEmpty()) {
            throw new IllegalArgumentException("image " + spec.getImage() + " is not rollout-lab/demo:* and the "
                + "container has no command: the node agent pulls no image, it runs a command as a local process");
        }
        List<String> argv = new java.util.ArrayList<>(env.expand(spec.getCommand()));
        argv.addAll(env.expand(spec.getArgs()));
        String command = argv.stream().map(PodRunner::shellQuoted).collect(java.util.stream.Collectors.joining(" "));
        int containerPort = spec.getPorts().isEmpty() ? 8080 : spec.getPorts().get(0).getContainerPort();
        String version = env.values().getOrDefault("VERSION", Objects.requireNonNullElse(
            pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("version"), ""));
        Map<String, String> vars = new java.util.LinkedHashMap<>(env.values());
        vars.put("HOST", ip);
        return new Plan(version, containerPort, () -> new Container.OsProcess(command, containerPort, version, name,
            vars, clock));
    }

    private static String shellQuoted(String arg) {
        return arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    private void launch(Plan p) {
        plan = p;
        Container c = p.container().get();
        container = c;
        exitCode = 0;
        state = new ContainerStateBuilder().withNewRunning().withStartedAt(Times.format(Instant.now())).endRunning()
            .build();
        phase = "Running";
        successes = 0;
        failures = 0;
        probing = false;
        c.start(code -> kubelet.locked(() -> exited(c, code)));
        kubelet.print(key(), (restarts == 0 ? "started " : "restarted (" + restarts + ") ") + p.version() + " on "
            + ip + ":" + port + " (podIP " + PodAddresses.clusterIp(ip) + ")");
        writeStatus();
        if (prober == null) {
            setReady(true); // no readiness probe: ready once running, as the kubelet has it
        } else {
            timer = clock.schedule(initialDelay, () -> kubelet.locked(this::probe));
        }
    }

    /** The pod spec's readiness probe; an httpGet only (an exec or tcpSocket probe counts as passed). */
    private void readinessProbe() {
        var probe = spec.getReadinessProbe();
        if (probe == null || probe.getHttpGet() == null) {
            if (probe != null) {
                kubelet.print(key(), "readiness probe other than httpGet is not supported: ready once running");
            }
            return;
        }
        HTTPGetAction get = probe.getHttpGet();
        period = Duration.ofSeconds(orDefault(probe.getPeriodSeconds(), 10));
        initialDelay = Duration.ofSeconds(orDefault(probe.getInitialDelaySeconds(), 0));
        successThreshold = orDefault(probe.getSuccessThreshold(), 1);
        failureThreshold = orDefault(probe.getFailureThreshold(), 3);
        Duration timeout = Duration.ofSeconds(orDefault(probe.getTimeoutSeconds(), 1));
        probeAddress = SocketAddress.inetSocketAddress(resolvePort(get.getPort()),
            get.getHost() == null || get.getHost().isEmpty() ? ip : PodAddresses.loopback(get.getHost()));
        prober = kubelet.prober(new Readiness(get.getPath() == null ? "/" : get.getPath(), period, failureThreshold,
            timeout));
    }

    private int resolvePort(IntOrString p) {
        if (p == null) {
            return port;
        }
        if (p.getIntVal() != null) {
            return p.getIntVal();
        }
        for (ContainerPort cp : spec.getPorts()) {
            if (p.getStrVal().equals(cp.getName())) {
                return cp.getContainerPort();
            }
        }
        return port;
    }

    /**
     * Probes every period as the kubelet's worker does; a probe still out when the next is due makes that one
     * skipped. {@code successThreshold} passes in a row make the pod ready, {@code failureThreshold} failures unready.
     */
    private void probe() {
        if (terminating || gone || state.getRunning() == null) {
            return;
        }
        timer = clock.schedule(period, () -> kubelet.locked(this::probe));
        if (probing) {
            return;
        }
        probing = true;
        Container probed = container;
        prober.probe(probeAddress).onComplete(verdict -> kubelet.locked(() -> {
            if (probed != container) {
                return;
            }
            probing = false;
            Probe p = verdict.succeeded() ? verdict.result() : Probe.FAILED;
            if (p == Probe.PASSED) {
                failures = 0;
                if (++successes >= successThreshold && !ready) {
                    setReady(true);
                }
            } else if (p == Probe.FAILED) {
                successes = 0;
                if (++failures >= failureThreshold && ready) {
                    setReady(false);
                }
            }
        }));
    }

    private void setReady(boolean now) {
        if (terminating || gone) {
            return;
        }
        ready = now;
        kubelet.print(key(), now ? "ready" : "not ready");
        writeStatus();
    }

    /** The container ended: a crash, unless the pod is being deleted. */
    private void exited(Container c, int code) {
        if (c == container) {
            exitCode = code;
        }
        if (c != container || terminating || gone) {
            return;
        }
        timer.cancel();
        ready = false;
        Instant now = Instant.now();
        ContainerState ended = new ContainerStateBuilder().withNewTerminated().withExitCode(code).withReason("Error")
            .withStartedAt(state.getRunning() == null ? null : state.getRunning().getStartedAt())
            .withFinishedAt(Times.format(now)).endTerminated().build();
        state = ended;
        writeStatus();
        Duration backoff = kubelet.backoff().delay(restarts);
        lastState = ended;
        state = waiting("CrashLoopBackOff", "back-off " + backoff.toSeconds() + "s restarting failed container="
            + spec.getName() + " pod=" + name + "_" + namespace);
        kubelet.print(key(), "crashed (exit " + code + "); CrashLoopBackOff " + backoff.toMillis() + " ms");
        writeStatus();
        Plan again = plan;
        timer = clock.schedule(backoff, () -> kubelet.locked(() -> {
            if (!terminating && !gone) {
                restarts++;
                launch(again);
            }
        }));
    }

    /** The pod's latest object from the API server; a deletion timestamp starts the termination. */
    void update(Pod latest) {
        pod = latest;
        if (latest.getMetadata().getDeletionTimestamp() != null) {
            terminate();
        }
    }

    /**
     * The kubelet's deletion sequence: preStop (its {@code sleep}; exec and httpGet hooks are not run), then SIGTERM
     * (the demo stops accepting, drains for the rest of the grace period, and is killed at its end), then the final
     * status and the delete with grace 0 that lets the API server remove the pod.
     */
    private void terminate() {
        if (terminating || gone) {
            return;
        }
        terminating = true;
        timer.cancel();
        Long graceSeconds = pod.getMetadata().getDeletionGracePeriodSeconds() != null
            ? pod.getMetadata().getDeletionGracePeriodSeconds() : pod.getSpec().getTerminationGracePeriodSeconds();
        Duration grace = Duration.ofSeconds(graceSeconds == null ? 30 : graceSeconds);
        long deadline = clock.nanos() + grace.toNanos();
        Duration preStop = Duration.ZERO;
        LifecycleHandler hook = spec.getLifecycle() == null ? null : spec.getLifecycle().getPreStop();
        if (hook != null && hook.getSleep() != null) {
            preStop = Duration.ofSeconds(hook.getSleep().getSeconds());
            preStop = preStop.compareTo(grace) < 0 ? preStop : grace;
        } else if (hook != null) {
            kubelet.print(key(), "preStop exec/httpGet/tcpSocket hooks are not supported: skipped");
        }
        kubelet.print(key(), "terminating: preStop " + preStop.toSeconds() + " s, grace " + grace.toSeconds() + " s");
        timer = clock.schedule(preStop, () -> kubelet.locked(() -> stopContainer(deadline)));
    }

    private void stopContainer(long deadline) {
        if (gone) {
            return;
        }
        Container c = container;
        if (c == null || state.getRunning() == null) {
            finish(state.getTerminated() != null ? state.getTerminated().getExitCode() : 0);
            return;
        }
        Duration rest = Duration.ofNanos(Math.max(0, deadline - clock.nanos()));
        // A process reports its exit code before its stop completes; the demo in-process exits 0 on a stop.
        c.stop(rest).onComplete(stopped -> kubelet.locked(() -> finish(exitCode)));
    }

    private void finish(int exitCode) {
        if (gone) {
            return;
        }
        ready = false;
        String startedAt = state.getRunning() != null ? state.getRunning().getStartedAt() : null;
        state = new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode)
            .withReason(exitCode == 0 ? "Completed" : "Error").withStartedAt(startedAt)
            .withFinishedAt(Times.format(Instant.now())).endTerminated().build();
        phase = exitCode == 0 ? "Succeeded" : "Failed";
        writeStatus();
        kubelet.print(key(), "terminated; deleting with grace 0");
        kubelet.deleteNow(namespace, name);
        end();
    }

    /** Ends the container at once (SIGKILL): the pod was removed by force, or the agent stops. */
    void kill() {
        if (gone) {
            return;
        }
        timer.cancel();
        if (container != null) {
            container.kill();
        }
        end();
    }

    private void end() {
        gone = true;
        timer.cancel();
        kubelet.gone(this);
    }

    /** Writes the status again, after a write that failed; nothing once the pod's run has ended. */
    void syncStatus() {
        if (!gone) {
            writeStatus();
        }
    }

    private void writeStatus() {
        Instant now = Instant.now();
        boolean containerReady = ready && state.getRunning() != null;
        conditions.set(PodConditions.CONTAINERS_READY, containerReady, now);
        conditions.set(PodConditions.READY, containerReady, now);
        PodStatus status = new PodStatusBuilder()
            .withPhase(phase)
            .withConditions(conditions.toList())
            .withHostIP(kubelet.hostIp()).addNewHostIP(kubelet.hostIp())
            .withPodIP(PodAddresses.clusterIp(ip)).withPodIPs(List.of(new PodIP(PodAddresses.clusterIp(ip))))
            .withStartTime(Times.format(startTime))
            .addToContainerStatuses(new ContainerStatusBuilder()
                .withName(spec.getName())
                .withImage(spec.getImage())
                .withImageID(spec.getImage())
                .withContainerID(state.getWaiting() == null ? "rollout-lab://" + name + "-" + restarts : null)
                .withReady(containerReady)
                .withStarted(state.getRunning() != null)
                .withRestartCount(restarts)
                .withState(state)
                .withLastState(lastState == null ? new ContainerState() : lastState)
                .build())
            .build();
        kubelet.writeStatus(this, namespace, name, status);
    }

    private static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null || value <= 0 ? fallback : value;
    }
}
