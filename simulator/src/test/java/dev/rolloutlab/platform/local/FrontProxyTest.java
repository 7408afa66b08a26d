package dev.rolloutlab.platform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.local.FrontProxy.Endpoint;
import dev.rolloutlab.platform.local.FrontProxy.Table;
import dev.rolloutlab.platform.local.PlatformFixture.Reply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FrontProxyTest {
    private static final List<Endpoint> ENDPOINTS = List.of(
        Endpoint.of("v1-c1-1", "v1", 1, 9001), Endpoint.of("v1-c1-2", "v1", 1, 9002),
        Endpoint.of("v1-c2-3", "v1", 2, 9003), Endpoint.of("v2-c3-4", "v2", 3, 9004));
    private static final int USERS = 10_000;

    private static double candidateShare(Table table, boolean anonymous) {
        int candidate = 0;
        for (int user = 0; user < USERS; user++) {
            if (table.choose(anonymous ? null : Integer.toString(user), null).version().equals("v2")) {
                candidate++;
            }
        }
        return candidate / (double) USERS;
    }

    @Test
    void weightedSendsTheWeightsShareOfUsersToTheCandidate() {
        Table table = FrontProxy.table(new Routing.Weighted("v1", "v2", 0.1), ENDPOINTS);
        assertThat(candidateShare(table, false)).isCloseTo(0.1, within(0.03));
        assertThat(candidateShare(table, true)).as("requests without a user").isCloseTo(0.1, within(0.03));
        assertThat(candidateShare(FrontProxy.table(new Routing.Weighted("v1", "v2", 0.5), ENDPOINTS), false))
            .isCloseTo(0.5, within(0.03));
    }

    @Test
    void aUserKeepsItsVersionWhileTheWeightHoldsAndOnlyMovesToTheCandidateAsItGrows() {
        Table ten = FrontProxy.table(new Routing.Weighted("v1", "v2", 0.1), ENDPOINTS);
        Table quarter = FrontProxy.table(new Routing.Weighted("v1", "v2", 0.25), ENDPOINTS);
        for (int user = 0; user < 1000; user++) {
            String id = Integer.toString(user);
            String version = ten.choose(id, null).version();
            assertThat(ten.choose(id, null).version()).as("user %s", id).isEqualTo(version);
            if (version.equals("v2")) {
                assertThat(quarter.choose(id, null).version()).as("user %s", id).isEqualTo("v2");
            }
        }
    }

    @Test
    void theCanaryHeaderReachesTheCandidateWhateverTheWeight() {
        Table none = FrontProxy.table(new Routing.Weighted("v1", "v2", 0), ENDPOINTS);
        for (int user = 0; user < 100; user++) {
            assertThat(none.choose(Integer.toString(user), null).version()).isEqualTo("v1");
            assertThat(none.choose(Integer.toString(user), "always").version()).isEqualTo("v2");
        }
        assertThat(none.choose(null, "ALWAYS").version()).isEqualTo("v2");
    }

    @Test
    void byCellSendsEachUserToItsCellAndRoundRobinsWithinIt() {
        Table cells = FrontProxy.table(new Routing.ByCell(3), ENDPOINTS);
        for (int user = 0; user < 30; user++) {
            assertThat(cells.choose(Integer.toString(user), null).cell()).isEqualTo(user % 3 + 1);
        }
        Set<String> cellOne = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            cellOne.add(cells.choose("3", null).pod());
        }
        assertThat(cellOne).containsExactlyInAnyOrder("v1-c1-1", "v1-c1-2");
    }

    @Test
    void allReadyCyclesEveryEndpointAndASelectorOnlyItsVersion() {
        Table all = FrontProxy.table(new Routing.AllReady(), ENDPOINTS);
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS.size(); i++) {
            pods.add(all.choose("7", null).pod());
        }
        assertThat(pods).containsExactlyInAnyOrderElementsOf(ENDPOINTS.stream().map(Endpoint::pod).toList());
        Table selector = FrontProxy.table(new Routing.Selector("v2"), ENDPOINTS);
        assertThat(selector.choose("7", null).pod()).isEqualTo("v2-c3-4");
        assertThat(FrontProxy.table(new Routing.Selector("v3"), ENDPOINTS).choose("7", null)).isNull();
    }

    @Test
    void noEndpointIsA503AndAFailedReplicaA502NamingItsVersion() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            FrontProxy proxy = new FrontProxy(f.vertx, 8);
            URI url = URI.create("http://127.0.0.1:" + PlatformFixture.await(proxy.listen(0)) + "/");
            assertThat(f.get(url, "1", null)).isEqualTo(new Reply(503, null, null));

            proxy.update(List.of(Endpoint.of("v2-9", "v2", 0, closedPort())), new Routing.AllReady());
            assertThat(f.get(url, "1", null)).isEqualTo(new Reply(502, "v2", "v2-9"));

            DemoService replica = new DemoService(f.vertx, 0, "v1", "v1-1", Behavior.DEFAULT);
            PlatformFixture.await(replica.start());
            proxy.update(List.of(Endpoint.of("v1-1", "v1", 0, replica.port())), new Routing.AllReady());
            assertThat(f.get(url, "1", null)).isEqualTo(new Reply(200, "v1", "v1-1"));
            PlatformFixture.await(proxy.stop());
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
