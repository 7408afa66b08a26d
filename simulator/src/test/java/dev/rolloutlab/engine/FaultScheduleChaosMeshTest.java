package dev.rolloutlab.engine;

import dev.rolloutlab.clock.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.chaos.mesh.ChaosKind;
import dev.rolloutlab.chaos.mesh.ChaosMeshInjector;
import dev.rolloutlab.chaos.mesh.RunPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's fault schedule driving the Chaos Mesh injector, on virtual time against the API server mock (CRUD):
 * objects appear when their fault starts, go when it ends, and nothing of the run is left after an abort.
 */
@EnableKubernetesMockClient(crud = true)
class FaultScheduleChaosMeshTest {
    KubernetesClient client;

    private static final RunPods PODS = new RunPods("lab", "shop", "v1", "v2", 8080, "/");
    private static final List<Fault> FAULTS = List.of(
        new Fault(Duration.ofSeconds(10), FaultType.LATENCY, Target.STABLE, Duration.ofSeconds(5), null, null,
            Duration.ofMillis(100), null),
        new Fault(Duration.ofSeconds(12), FaultType.KILL, Target.CANDIDATE, null, 1, null, null, null),
        new Fault(Duration.ofSeconds(20), FaultType.ERRORS, Target.ALL, Duration.ofSeconds(10), null, 0.3, null,
            null));

    private List<String> objects() {
        List<String> names = new ArrayList<>();
        for (ChaosKind kind : ChaosKind.values()) {
            client.genericKubernetesResources(kind.context()).inNamespace("lab").list().getItems()
                .forEach(r -> names.add(r.getKind() + " " + r.getMetadata().getName()));
        }
        return names;
    }

    @Test
    void objectsAppearWhenTheirFaultStartsAndGoWhenItEnds() {
        ManualClock clock = new ManualClock();
        FaultSchedule.start(clock, FAULTS, new ChaosMeshInjector(client, "lab", "run1", PODS, report -> { }));

        clock.advance(Duration.ofMillis(9_999));
        assertThat(objects()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(objects()).containsExactly("NetworkChaos rl-run1-1-latency");
        clock.advance(Duration.ofSeconds(2));
        assertThat(objects()).containsExactlyInAnyOrder("NetworkChaos rl-run1-1-latency", "PodChaos rl-run1-2-kill");
        clock.advance(Duration.ofSeconds(3));
        // The latency ended at 15 s; the kill's object stays until its own Chaos Mesh duration expires it.
        assertThat(objects()).containsExactly("PodChaos rl-run1-2-kill");
        clock.advance(Duration.ofSeconds(5));
        assertThat(objects()).containsExactlyInAnyOrder("PodChaos rl-run1-2-kill", "HTTPChaos rl-run1-3-errors");
    }

    @Test
    void anAbortedRunCallsOffWhatIsToComeAndLeavesNothingBehind() {
        ManualClock clock = new ManualClock();
        FaultSchedule schedule = FaultSchedule.start(clock, FAULTS,
            new ChaosMeshInjector(client, "lab", "run2", PODS, report -> { }));
        clock.advance(Duration.ofSeconds(13));
        assertThat(objects()).hasSize(2);

        schedule.cancel();
        assertThat(objects()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(objects()).as("faults due after the abort never start").isEmpty();
    }
}
