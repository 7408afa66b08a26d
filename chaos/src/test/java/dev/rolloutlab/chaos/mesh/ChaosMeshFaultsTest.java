package dev.rolloutlab.chaos.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.chaos.Target;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosMeshFaultsTest {
    static final RunPods PODS = new RunPods("lab", "shop", "v1", "v2", 8080, "/");

    static Fault fault(FaultType type, Target target, Duration duration, Integer count, Double share) {
        return new Fault(Duration.ofSeconds(5), type, target, duration, count, share, null, null);
    }

    static GenericKubernetesResource only(Fault fault) {
        List<ChaosObject> objects = ChaosMeshFaults.objectsFor(fault, PODS, "r1", "lab", 3);
        assertThat(objects).hasSize(1);
        return objects.get(0).toResource();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    /** A selector of the run's pods: {@code labels} and the run id of {@link #fault}'s objects, r1. */
    static Map<String, Object> selector(Map<String, String> labels) {
        Map<String, String> withRun = new java.util.HashMap<>(labels);
        withRun.put(ChaosMeta.RUN_ID_LABEL, "r1");
        return Map.of("namespaces", List.of("lab"), "labelSelectors", withRun);
    }

    @Test
    void everyObjectIsNamedLabelledScopedAndExpires() {
        for (FaultType type : FaultType.values()) {
            Fault f = new Fault(Duration.ofSeconds(5), type, Target.STABLE, Duration.ofSeconds(10), null, 0.5,
                Duration.ofMillis(100), null);
            GenericKubernetesResource r = only(f);

            assertThat(r.getApiVersion()).isEqualTo("chaos-mesh.org/v1alpha1");
            assertThat(r.getMetadata().getName()).isEqualTo("rl-r1-3-" + type.yamlName());
            assertThat(r.getMetadata().getNamespace()).isEqualTo("lab");
            assertThat(r.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("app.kubernetes.io/managed-by", "rollout-lab", "rollout-lab/run-id", "r1"));
            assertThat(spec(r)).containsEntry("selector", selector(Map.of("app", "shop", "version", "v1")))
                .containsEntry("duration", type == FaultType.KILL ? "30s" : "10s");
        }
    }

    @Test
    void killTakesACountOrAShareOfPods() {
        GenericKubernetesResource byCount = only(fault(FaultType.KILL, Target.CANDIDATE, null, 2, null));
        assertThat(byCount.getKind()).isEqualTo("PodChaos");
        assertThat(spec(byCount)).containsEntry("action", "pod-kill").containsEntry("mode", "fixed")
            .containsEntry("value", "2")
            .containsEntry("selector", selector(Map.of("app", "shop", "version", "v2")));

        assertThat(spec(only(fault(FaultType.KILL, Target.ALL, null, null, 0.25))))
            .containsEntry("mode", "fixed-percent").containsEntry("value", "25")
            .containsEntry("selector", selector(Map.of("app", "shop")));
    }

    @Test
    void outageAndCrashLoopMakePodsFail() {
        GenericKubernetesResource outage = only(fault(FaultType.OUTAGE, Target.ALL, Duration.ofMillis(1500), null,
            null));
        assertThat(outage.getKind()).isEqualTo("PodChaos");
        assertThat(spec(outage)).containsEntry("action", "pod-failure").containsEntry("mode", "all")
            .doesNotContainKey("value").containsEntry("duration", "1500ms");

        GenericKubernetesResource crash = only(fault(FaultType.CRASH_LOOP, Target.STABLE, Duration.ofSeconds(20),
            null, null));
        assertThat(spec(crash)).containsEntry("action", "pod-failure").containsEntry("mode", "fixed")
            .containsEntry("value", "1");
    }

    @Test
    void pauseAndPartitionCutPodsOff() {
        GenericKubernetesResource pause = only(fault(FaultType.PAUSE, Target.STABLE, Duration.ofSeconds(2), 1, null));
        assertThat(pause.getKind()).isEqualTo("NetworkChaos");
        assertThat(spec(pause)).containsEntry("action", "partition").containsEntry("direction", "both")
            .containsEntry("mode", "fixed").containsEntry("value", "1").doesNotContainKey("target");

        GenericKubernetesResource partition = only(fault(FaultType.PARTITION, Target.cell(3), Duration.ofSeconds(10),
            null, null));
        assertThat(spec(partition)).containsEntry("action", "partition").containsEntry("mode", "all")
            .containsEntry("selector", selector(Map.of("app", "shop", "cell", "3")));
    }

    @Test
    void latencyDelaysPacketsOfAShareOfPods() {
        Fault f = new Fault(Duration.ZERO, FaultType.LATENCY, Target.STABLE, Duration.ofSeconds(10), null, 0.3,
            Duration.ofMillis(100), Duration.ofMillis(20));
        GenericKubernetesResource r = only(f);
        assertThat(r.getKind()).isEqualTo("NetworkChaos");
        assertThat(spec(r)).containsEntry("action", "delay").containsEntry("mode", "fixed-percent")
            .containsEntry("value", "30").containsEntry("delay", Map.of("latency", "100ms", "jitter", "20ms"));

        Fault everyRequest = new Fault(Duration.ZERO, FaultType.LATENCY, Target.ALL, Duration.ofSeconds(10), null,
            null, Duration.ofMillis(250), null);
        assertThat(spec(only(everyRequest))).containsEntry("mode", "all")
            .containsEntry("delay", Map.of("latency", "250ms"));
    }

    /** Only the load's path: the kubelet's readiness probes must not get the 503s, or the pods leave the endpoints. */
    @Test
    void errorsReplaceResponseCodesWith503OnTheLoadPathOnly() {
        GenericKubernetesResource r = only(fault(FaultType.ERRORS, Target.ALL, Duration.ofSeconds(10), null, 0.3));
        assertThat(r.getKind()).isEqualTo("HTTPChaos");
        assertThat(spec(r)).containsEntry("target", "Response").containsEntry("port", 8080).containsEntry("path", "/")
            .containsEntry("replace", Map.of("code", 503)).containsEntry("mode", "fixed-percent")
            .containsEntry("value", "30");
        assertThat(spec(only(fault(FaultType.ERRORS, Target.ALL, Duration.ofSeconds(10), null, 1.0))))
            .containsEntry("mode", "all");
    }

    @Test
    void cpuStressAndLoss() {
        GenericKubernetesResource stress = only(fault(FaultType.CPU_STRESS, Target.CANDIDATE, Duration.ofSeconds(30),
            null, null));
        assertThat(stress.getKind()).isEqualTo("StressChaos");
        assertThat(spec(stress)).containsEntry("mode", "all")
            .containsEntry("stressors", Map.of("cpu", Map.of("workers", 1, "load", 100)));

        GenericKubernetesResource loss = only(fault(FaultType.LOSS, Target.ALL, Duration.ofSeconds(5), null, 0.125));
        assertThat(loss.getKind()).isEqualTo("NetworkChaos");
        assertThat(spec(loss)).containsEntry("action", "loss").containsEntry("mode", "all")
            .containsEntry("loss", Map.of("loss", "12.5"));
    }

    @Test
    void refusesWhatCannotBeNamedOrSelected() {
        Fault kill = fault(FaultType.KILL, Target.CANDIDATE, null, 1, null);
        assertThatThrownBy(() -> ChaosMeshFaults.objectsFor(kill, PODS, "Run_1", "lab", 1))
            .hasMessageContaining("bad run id \"Run_1\"");
        RunPods loadOnly = new RunPods("lab", "shop", "v1", null, 8080, "/");
        assertThatThrownBy(() -> ChaosMeshFaults.objectsFor(kill, loadOnly, "r1", "lab", 1))
            .hasMessageContaining("no candidate");
    }
}
