package dev.rolloutlab.platform.local;

import static dev.rolloutlab.platform.local.PlatformFixture.await;
import static dev.rolloutlab.platform.local.PlatformFixture.eventually;
import static dev.rolloutlab.platform.local.PlatformFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.result.Event;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LocalPlatformLifecycleTest {
    private static final ReplicaSet V1 = ReplicaSet.of("v1");
    private static final ReplicaSet V2 = ReplicaSet.of("v2");

    @Test
    void aReplicaGetsTrafficOnlyOnceItListensAndPassesAProbe() throws Exception {
        Behavior slowStart = new Behavior(0, Duration.ZERO, Duration.ofMillis(600), null);
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(1, Behavior.DEFAULT, slowStart, Duration.ZERO, Duration.ZERO));
            URI url = await(platform.start());
            long scaled = System.nanoTime();
            platform.scale(V2, 1);
            while (System.nanoTime() - scaled < 450_000_000L) {
                assertThat(platform.status(V2)).isEqualTo(new ReplicaSetStatus(1, 1, 0, 0));
                assertThat(f.get(url, null, null).version()).isEqualTo("v1");
            }
            eventually(Duration.ofSeconds(3), () -> platform.status(V2).ready() == 1);
            assertThat(System.nanoTime() - scaled).isGreaterThanOrEqualTo(600_000_000L);
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                served.add(f.get(url, null, null).version());
            }
            assertThat(served).containsExactlyInAnyOrder("v1", "v2");

            Event started = f.events("replica-started").get(1);
            Event ready = f.events("replica-ready").get(1);
            assertThat(ready.detail()).containsEntry("pod", started.detail().get("pod")).containsEntry("version", "v2");
            assertThat(ready.t() - started.t()).isGreaterThanOrEqualTo(0.599);
        }
    }

    @Test
    void aCrashingReplicaIsRestartedInPlaceWithDoublingBackoff() throws Exception {
        Behavior crashes = new Behavior(0, Duration.ZERO, Duration.ZERO, Duration.ofMillis(150));
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = new LocalPlatform(f.vertx,
                service(1, Behavior.DEFAULT, crashes, Duration.ZERO, Duration.ZERO), f.clock, f.events, 16, 1,
                new CrashLoopBackoff(Duration.ofMillis(100), Duration.ofMillis(400)));
            await(platform.start());
            platform.scale(V2, 1);
            eventually(Duration.ofSeconds(5), () -> platform.status(V2).restarts() >= 4);

            List<Event> crashed = f.events("replica-crashed");
            List<Event> restarted = f.events("replica-restarted");
            double[] backoff = {0.1, 0.2, 0.4, 0.4};
            for (int i = 0; i < backoff.length; i++) {
                assertThat(restarted.get(i).detail()).containsEntry("pod", "v2-2").containsEntry("restarts", i + 1);
                assertThat(restarted.get(i).t() - crashed.get(i).t()).as("back-off before restart %d", i + 1)
                    .isCloseTo(backoff[i] + 0.03, within(0.035));
            }
            assertThat(f.events("replica-started")).hasSize(2);
            assertThat(f.events("replica-terminated")).isEmpty();
            assertThat(platform.status(V2).running()).isEqualTo(1);
            assertThat(platform.status(V1).restarts()).isZero();
            await(platform.stop());
        }
    }

    @Test
    void killedReplicasAreReplacedByNewOnesNotRestarted() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(3));
            await(platform.start());
            platform.faults().kill(Target.STABLE, 2);
            platform.faults().kill(Target.CANDIDATE, 1);

            assertThat(f.events("replica-terminated")).extracting(e -> e.detail().get("pod"))
                .containsExactly("v1-1", "v1-2");
            assertThat(f.events("replica-terminated")).allSatisfy(e -> assertThat(e.detail())
                .containsEntry("reason", "killed"));
            assertThat(f.events("fault-start")).extracting(e -> e.detail().get("pods"))
                .containsExactly(List.of("v1-1", "v1-2"), List.of());
            assertThat(f.events("fault-end")).hasSize(2);
            eventually(Duration.ofSeconds(3), () -> platform.status(V1).ready() == 3);
            assertThat(platform.status(V1)).isEqualTo(new ReplicaSetStatus(3, 3, 3, 0));
            assertThat(f.events("replica-started")).extracting(e -> e.detail().get("pod"))
                .containsExactly("v1-1", "v1-2", "v1-3", "v1-4", "v1-5");
            await(platform.stop());
        }
    }

    @Test
    void stopEndsEveryReplicaOnceAndLaterCallsChangeNothing() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(2));
            URI url = await(platform.start());
            platform.scale(V2, 1);
            eventually(Duration.ofSeconds(3), () -> platform.status(V2).ready() == 1);

            Future<Void> first = platform.stop();
            assertThat(platform.stop()).isSameAs(first);
            await(first);
            assertThat(List.of(V1, V2)).allSatisfy(set -> assertThat(platform.status(set).running()).isZero());
            assertThat(f.events("replica-started")).hasSize(3);
            assertThat(f.events("replica-terminated")).hasSize(3);
            assertThatThrownBy(() -> f.get(url, null, null)).isInstanceOf(IOException.class);

            platform.scale(V1, 2);
            platform.faults().kill(Target.ALL, 1);
            assertThat(List.of(V1, V2)).allSatisfy(set -> assertThat(platform.status(set).running()).isZero());
            await(platform.stop());
        }
    }

    @Test
    void scalingAVersionTheServiceDoesNotHaveIsRejected() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(1));
            assertThatThrownBy(() -> platform.scale(ReplicaSet.of("v3"), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v3");
            assertThat(platform.status(ReplicaSet.of("v3"))).isEqualTo(ReplicaSetStatus.NONE);
        }
    }
}
