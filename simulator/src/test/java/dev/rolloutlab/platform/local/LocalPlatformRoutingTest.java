package dev.rolloutlab.platform.local;

import static dev.rolloutlab.platform.local.PlatformFixture.await;
import static dev.rolloutlab.platform.local.PlatformFixture.eventually;
import static dev.rolloutlab.platform.local.PlatformFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.local.PlatformFixture.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routing through the real proxy, as the generator's users see it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalPlatformRoutingTest {
    private static final Duration LAG = Duration.ofMillis(200);

    @Test
    void weightedRoutingKeepsEachUserOnOneVersionAndTheCanaryHeaderWins() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(2, Behavior.DEFAULT, Behavior.DEFAULT, Duration.ZERO, LAG));
            URI url = await(platform.start());
            platform.scale(ReplicaSet.of("v2"), 2);
            eventually(Duration.ofSeconds(3), () -> platform.status(ReplicaSet.of("v2")).ready() == 2);

            long routed = System.nanoTime();
            platform.route(new Routing.Selector("v2"));
            // Round robin over 2 + 2 replicas never answers v2 four times in a row; the selector always does.
            eventually(Duration.ofSeconds(2),
                () -> IntStream.range(0, 4).allMatch(i -> servedBy(f, url, "1").equals("v2")));
            assertThat(System.nanoTime() - routed).as("the route took the endpoint lag")
                .isGreaterThanOrEqualTo(LAG.toNanos());

            String stableUser = Integer.toString(IntStream.range(0, 100).filter(u -> FrontProxy.unit(u) >= 0.1)
                .findFirst().orElseThrow());
            platform.route(new Routing.Weighted("v1", "v2", 0.1));
            eventually(Duration.ofSeconds(2), () -> servedBy(f, url, stableUser).equals("v1"));
            int users = 400;
            int candidate = 0;
            for (int user = 0; user < users; user++) {
                String id = Integer.toString(user);
                Reply first = f.get(url, id, null);
                assertThat(f.get(url, id, null).version()).as("user %s", id).isEqualTo(first.version());
                if (first.version().equals("v2")) {
                    candidate++;
                } else {
                    assertThat(f.get(url, id, "always").version()).isEqualTo("v2");
                }
            }
            assertThat(candidate / (double) users).isCloseTo(0.1, within(0.05));
            await(platform.stop());
        }
    }

    private static String servedBy(PlatformFixture f, URI url, String user) {
        try {
            return f.get(url, user, null).version();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void cellsSplitTheStableReplicasAndEachUserStaysInItsCell() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = new LocalPlatform(f.vertx, service(5), f.clock, f.events, 16, 3);
            URI url = await(platform.start());
            assertThat(platform.status(new ReplicaSet("v1", 1)).ready()).isEqualTo(2);
            assertThat(platform.status(new ReplicaSet("v1", 2)).ready()).isEqualTo(2);
            assertThat(platform.status(new ReplicaSet("v1", 3)).ready()).isEqualTo(1);
            assertThat(f.events("route").get(0).detail()).containsEntry("routing", new Routing.ByCell(3).toString());

            Map<Object, Object> cellOfPod = new HashMap<>();
            f.events("replica-started").forEach(e -> cellOfPod.put(e.detail().get("pod"), e.detail().get("cell")));
            Set<String> cellOnePods = new HashSet<>();
            for (int user = 0; user < 30; user++) {
                Reply reply = f.get(url, Integer.toString(user), null);
                assertThat(cellOfPod.get(reply.pod())).as("cell of user %d", user).isEqualTo(user % 3 + 1);
                if (user % 3 == 0) {
                    cellOnePods.add(reply.pod());
                }
            }
            assertThat(cellOnePods).hasSize(2);
            await(platform.stop());
        }
    }
}
