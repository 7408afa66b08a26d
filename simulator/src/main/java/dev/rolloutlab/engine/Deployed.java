package dev.rolloutlab.engine;

import dev.rolloutlab.scenario.CellBasedSpec;
import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultPort;
import dev.rolloutlab.chaos.mesh.ChaosMeshInjector;
import dev.rolloutlab.chaos.mesh.InjectionReport;
import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.kubernetes.KubernetesPlatform;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.local.LocalPlatform;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.scenario.Kubernetes;
import dev.rolloutlab.scenario.Scenario;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.time.Duration;

/** The platform a run deploys on, the port its faults go through, and how long it may take to start. */
record Deployed(String name, Platform platform, FaultPort faults, Duration startTimeout) {

    /**
     * The platform the scenario names, or null when its load targets a service that already runs.
     *
     * @param kubernetes the client of an allowed context, for {@code platform: kubernetes}
     */
    static Deployed of(Scenario scenario, KubernetesClient kubernetes, Vertx vertx, Clock clock, EventLog events) {
        if (scenario.load().target() != null) {
            return null;
        }
        int cells = scenario.strategy() instanceof CellBasedSpec cellBased ? cellBased.cells() : 1;
        if ("kubernetes".equals(scenario.platform())) {
            return kubernetes(scenario, kubernetes, clock, events, cells);
        }
        LocalPlatform local = new LocalPlatform(vertx, scenario.service(), clock, events,
            scenario.load().connections(), cells);
        return new Deployed("local", local, local.faults(), Duration.ofSeconds(60));
    }

    /**
     * A fresh run id names the run's namespace (unless the scenario gives one) and labels every object, Chaos Mesh
     * ones included, so that the end of the run and {@code rollout-lab cleanup} find them all.
     */
    private static Deployed kubernetes(Scenario scenario, KubernetesClient client, Clock clock, EventLog events,
                                       int cells) {
        if (client == null) {
            throw new IllegalStateException("a kubernetes run needs a client of an allowed context");
        }
        String runId = ChaosMeshInjector.newRunId();
        Kubernetes k = scenario.kubernetes();
        String namespace = k.namespace() != null ? k.namespace() : RunObjectBuilder.runNamespace(runId);
        RunObjectBuilder objects = new RunObjectBuilder(scenario, namespace, runId);
        events.add(EventType.KUBERNETES, "runId", runId, "namespace", namespace, "server",
            client.getConfiguration().getMasterUrl());
        return new Deployed("kubernetes",
            new KubernetesPlatform(client, scenario, objects, k.namespace() == null, clock, events, cells),
            new ChaosMeshInjector(client, namespace, runId, objects.runPods(), report -> logged(report, events)),
            k.readyTimeout().plus(k.entryPointTimeout()).plusSeconds(30));
    }

    /** What became of a Chaos Mesh object, as the run's events say it of a local fault. */
    private static void logged(InjectionReport report, EventLog events) {
        Fault f = report.fault();
        String type = f.type().yamlName();
        String target = f.target().toString();
        switch (report.stage()) {
            case APPLIED -> {
                if (f.duration() == null) {
                    events.add(EventType.FAULT_START, "type", type, "target", target, "object", report.object());
                } else {
                    events.add(EventType.FAULT_START, "type", type, "target", target, "object", report.object(),
                        "duration", f.duration().toNanos() / 1e9);
                }
            }
            case INJECTED -> events.add(EventType.FAULT_INJECTED, "type", type, "target", target, "object",
                report.object());
            case FAILED -> events.add(EventType.FAULT_FAILED, "type", type, "target", target, "object",
                report.object(), "reason", report.detail());
            case ENDED -> events.add(EventType.FAULT_END, "type", type, "target", target, "object", report.object());
        }
    }
}
