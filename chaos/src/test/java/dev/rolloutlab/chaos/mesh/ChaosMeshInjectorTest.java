package dev.rolloutlab.chaos.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.chaos.Target;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ChaosMeshInjectorTest {
    /** The mock server logs every request at INFO; held so the level outlives garbage collection. */
    static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    static final RunPods PODS = new RunPods("lab", "shop", "v1", "v2", 8080, "/");
    static final Fault LATENCY = new Fault(Duration.ofSeconds(1), FaultType.LATENCY, Target.STABLE,
        Duration.ofSeconds(10), null, null, Duration.ofMillis(100), null);
    static final Fault ERRORS = new Fault(Duration.ofSeconds(2), FaultType.ERRORS, Target.ALL,
        Duration.ofSeconds(10), null, 0.5, null, null);
    static final Fault KILL = new Fault(Duration.ofSeconds(3), FaultType.KILL, Target.CANDIDATE, null, 1, null,
        null, null);
    static final Fault STRESS = new Fault(Duration.ofSeconds(4), FaultType.CPU_STRESS, Target.ALL,
        Duration.ofSeconds(10), null, null, null, null);
    static final Fault CRASH = new Fault(Duration.ofSeconds(5), FaultType.CRASH_LOOP, Target.STABLE,
        Duration.ofSeconds(10), null, null, null, null);

    KubernetesClient client;

    List<String> names(String namespace) {
        List<String> names = new ArrayList<>();
        for (ChaosKind kind : ChaosKind.values()) {
            var resources = client.genericKubernetesResources(kind.context());
            (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace)).list().getItems()
                .forEach(r -> names.add(r.getMetadata().getName()));
        }
        return names;
    }

    @Test
    void startCreatesTheObjectsAndEndDeletesThem() {
        ChaosMeshInjector injector = new ChaosMeshInjector(client, "lab", "r1", PODS, report -> { });

        injector.start(LATENCY);
        injector.start(ERRORS);
        GenericKubernetesResource stored = client.genericKubernetesResources(ChaosKind.NETWORK_CHAOS.context())
            .inNamespace("lab").withName("rl-r1-1-latency").get();
        assertThat(stored.getKind()).isEqualTo("NetworkChaos");
        assertThat(stored.getMetadata().getLabels()).containsEntry("rollout-lab/run-id", "r1");
        assertThat(names("lab")).containsExactlyInAnyOrder("rl-r1-1-latency", "rl-r1-2-errors");

        injector.end(LATENCY);
        assertThat(names("lab")).containsExactly("rl-r1-2-errors");
        injector.end(LATENCY); // already ended: nothing to do
        injector.end(ERRORS);
        assertThat(names("lab")).isEmpty();
    }

    @Test
    void endAllAfterAnAbortLeavesNoObjectOfTheRun() {
        ChaosMeshInjector crashed = new ChaosMeshInjector(client, "lab", "r2", PODS, report -> { });
        Arrays.asList(LATENCY, ERRORS, KILL, STRESS, CRASH).forEach(crashed::start);
        assertThat(names("lab")).hasSize(5);

        // The harness died; a new process for the same run tidies up without knowing what was started.
        ChaosMeshInjector afterAbort = new ChaosMeshInjector(client, "lab", "r2", PODS, report -> { });
        afterAbort.endAll();
        assertThat(names("lab")).isEmpty();
        afterAbort.endAll();
        crashed.end(LATENCY); // objects already gone: still fine
    }

    @Test
    void cleanupRemovesOneRunsLeftoversOnly() {
        new ChaosMeshInjector(client, "lab", "old", PODS, report -> { }).start(LATENCY);
        new ChaosMeshInjector(client, "lab", "old", PODS, report -> { }).start(KILL);
        new ChaosMeshInjector(client, "lab", "other", PODS, report -> { }).start(STRESS);
        new ChaosMeshInjector(client, "elsewhere", "third", PODS, report -> { }).start(ERRORS);

        List<String> deleted = new ArrayList<>();
        assertThat(ChaosMeshInjector.cleanup(client, "lab", "old", r -> deleted.add(r.getMetadata().getName())))
            .isEqualTo(2);
        assertThat(deleted).containsExactlyInAnyOrder("rl-old-1-latency", "rl-old-1-kill");
        assertThat(names(null)).containsExactlyInAnyOrder("rl-other-1-cpu-stress", "rl-third-1-errors");

        assertThat(ChaosMeshInjector.cleanup(client, null, null)).isEqualTo(2);
        assertThat(names(null)).isEmpty();
    }

    /** Created is not injected: what Chaos Mesh writes in the object's status is what is reported. */
    @Test
    void whatChaosMeshSaysInTheStatusIsReported() throws Exception {
        List<InjectionReport> reports = new CopyOnWriteArrayList<>();
        ChaosMeshInjector injector = new ChaosMeshInjector(client, "lab", "r4", PODS, reports::add);

        injector.start(LATENCY);
        injector.start(ERRORS);
        injector.start(STRESS);
        setConditions(ChaosKind.NETWORK_CHAOS, "rl-r4-1-latency", Map.of("type", "Selected", "status", "True"),
            Map.of("type", "AllInjected", "status", "True"));
        setConditions(ChaosKind.HTTP_CHAOS, "rl-r4-2-errors",
            Map.of("type", "Selected", "status", "False", "reason", "no pod is selected"));
        eventually(() -> reports.size() == 5);
        injector.end(LATENCY);
        injector.end(ERRORS);
        injector.endAll();

        List<String> said = reports.stream().map(r -> r.stage() + " " + r.object()).toList();
        assertThat(said.subList(0, 3)).containsExactly("APPLIED NetworkChaos rl-r4-1-latency",
            "APPLIED HTTPChaos rl-r4-2-errors", "APPLIED StressChaos rl-r4-3-cpu-stress");
        // Each object's watch reports on its own; their order is not defined.
        assertThat(said.subList(3, 5)).containsExactlyInAnyOrder("INJECTED NetworkChaos rl-r4-1-latency",
            "FAILED HTTPChaos rl-r4-2-errors");
        assertThat(said.subList(5, 8)).containsExactly("ENDED NetworkChaos rl-r4-1-latency",
            "ENDED HTTPChaos rl-r4-2-errors", "FAILED StressChaos rl-r4-3-cpu-stress");
        assertThat(detail(reports, "FAILED HTTPChaos rl-r4-2-errors"))
            .isEqualTo("Chaos Mesh selected no pod (no pod is selected)");
        assertThat(detail(reports, "FAILED StressChaos rl-r4-3-cpu-stress"))
            .startsWith("Chaos Mesh did not confirm it while the fault lasted");
    }

    private static String detail(List<InjectionReport> reports, String said) {
        return reports.stream().filter(r -> (r.stage() + " " + r.object()).equals(said)).findFirst().orElseThrow()
            .detail();
    }

    /** An object the API server refuses (here: a name taken) is a fault that did not happen, and the run goes on. */
    @Test
    void aRefusedObjectIsReportedNotThrown() {
        List<InjectionReport> reports = new ArrayList<>();
        new ChaosMeshInjector(client, "lab", "r5", PODS, report -> { }).start(LATENCY);
        ChaosMeshInjector again = new ChaosMeshInjector(client, "lab", "r5", PODS, reports::add);

        again.start(LATENCY);

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.stage()).isEqualTo(InjectionReport.Stage.FAILED);
            assertThat(r.detail()).startsWith("the API server refused it: 409 ");
        });
        again.end(LATENCY);
    }

    @SafeVarargs
    private void setConditions(ChaosKind kind, String name, Map<String, String>... conditions) {
        var resource = client.genericKubernetesResources(kind.context()).inNamespace("lab").withName(name);
        GenericKubernetesResource r = resource.get();
        r.setAdditionalProperty("status", Map.of("conditions", List.of(conditions)));
        resource.patchStatus(r);
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("reports within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void newRunIdsAreValidAndDistinct() {
        String id = ChaosMeshInjector.newRunId();
        assertThat(ChaosMeta.requireRunId(id)).hasSize(8);
        assertThat(ChaosMeshInjector.newRunId()).isNotEqualTo(id);
    }
}
