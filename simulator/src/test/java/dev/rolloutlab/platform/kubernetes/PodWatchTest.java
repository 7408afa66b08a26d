package dev.rolloutlab.platform.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.clock.ManualClock;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.result.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Pod updates as an informer delivers them, turned into replica events and per-set counts. */
class PodWatchTest {
    private final EventLog events = new EventLog(new ManualClock());
    private final AtomicInteger changes = new AtomicInteger();
    private final PodWatch watch = new PodWatch(events, changes::incrementAndGet);

    private static Pod pod(String name, String version, String cell, boolean ready, int restarts, String waiting,
                           boolean deleting) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "shop")
            .addToLabels("version", version).endMetadata();
        if (cell != null) {
            b.editMetadata().addToLabels("cell", cell).endMetadata();
        }
        if (deleting) {
            b.editMetadata().withDeletionTimestamp("2026-11-24T05:00:00Z").endMetadata();
        }
        b.withNewStatus().withPhase("Running")
            .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
            .addNewContainerStatus().withName("app").withRestartCount(restarts).withNewState()
            .withNewWaiting().withReason(waiting).endWaiting().endState().endContainerStatus()
            .endStatus();
        return b.build();
    }

    private String log() {
        return String.join(", ", events.events().stream().map(e -> e.type().replace("replica-", "") + " "
            + e.detail().get("pod") + (e.detail().containsKey("restarts") ? " " + e.detail().get("restarts") : ""))
            .toList());
    }

    @Test
    void aPodsLifeBecomesTheLocalPlatformsReplicaEvents() {
        Pod starting = pod("a", "v2", null, false, 0, "ContainerCreating", false);
        watch.onAdd(starting);
        Pod ready = pod("a", "v2", null, true, 0, null, false);
        watch.onUpdate(starting, ready);
        Pod crashed = pod("a", "v2", null, false, 1, "CrashLoopBackOff", false);
        watch.onUpdate(ready, crashed);
        Pod back = pod("a", "v2", null, true, 1, null, false);
        watch.onUpdate(crashed, back);
        Pod terminating = pod("a", "v2", null, true, 1, null, true);
        watch.onUpdate(back, terminating);
        watch.onDelete(terminating, false);

        assertThat(log()).isEqualTo("started a, ready a, restarted a 1, not-ready a, ready a, terminating a, "
            + "not-ready a, terminated a");
        assertThat(events.events()).extracting(Event::type).filteredOn("replica-terminated"::equals).hasSize(1);
        assertThat(changes).hasValue(6);
    }

    /** A native sidecar is an init container that keeps running: its restarts count, and so does its waiting. */
    @Test
    void initContainersRestartsAndWaitingCount() {
        Pod pod = pod("a", "v1", null, false, 0, null, false);
        pod.getStatus().getInitContainerStatuses().add(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
            .withName("proxy").withRestartCount(3).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
            .endWaiting().endState().build());
        watch.onAdd(pod);

        assertThat(watch.status(ReplicaSet.of("v1"), 1).restarts()).isEqualTo(3);
        assertThat(watch.notReadyReasons()).isEqualTo("1 CrashLoopBackOff");
    }

    @Test
    void countsAreBySetAndATerminatingPodIsNotReady() {
        watch.onAdd(pod("a", "v1", null, true, 0, null, false));
        watch.onAdd(pod("b", "v1", null, true, 2, null, true));
        watch.onAdd(pod("c", "v2", null, false, 0, "ImagePullBackOff", false));
        watch.onAdd(pod("d", "v2", "1", true, 0, null, false));
        watch.onAdd(pod("e", "v2", null, false, 0, "ImagePullBackOff", false));

        assertThat(watch.status(ReplicaSet.of("v1"), 3)).isEqualTo(new ReplicaSetStatus(3, 2, 1, 2));
        assertThat(watch.status(ReplicaSet.of("v2"), 2)).isEqualTo(new ReplicaSetStatus(2, 2, 0, 0));
        assertThat(watch.status(new ReplicaSet("v2", 1), 1)).isEqualTo(new ReplicaSetStatus(1, 1, 1, 0));
        assertThat(watch.status(ReplicaSet.of("v1"), 3).running() + watch.status(ReplicaSet.of("v2"), 2).running()
            + watch.status(new ReplicaSet("v2", 1), 1).running()).as("running over all sets").isEqualTo(5);
        assertThat(watch.notReadyReasons()).isEqualTo("2 ImagePullBackOff, 1 not ready");
    }

    @Test
    void aPodThatEndsIsTerminatedOnceAndAnUnlabelledPodIsIgnored() {
        Pod running = pod("a", "v1", null, true, 0, null, false);
        watch.onAdd(running);
        Pod failed = new PodBuilder(running).editStatus().withPhase("Failed").endStatus().build();
        watch.onUpdate(running, failed);
        watch.onDelete(failed, false);
        watch.onAdd(new PodBuilder().withNewMetadata().withName("other").endMetadata().build());

        assertThat(log()).isEqualTo("started a, ready a, terminated a");
        assertThat(events.events().get(2).detail()).containsEntry("reason", "failed");
        assertThat(watch.status(ReplicaSet.of("v1"), 1).running()).isZero();
    }
}
