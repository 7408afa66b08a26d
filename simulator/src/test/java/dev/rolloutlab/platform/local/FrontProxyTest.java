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
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    void noEndpointIsA503AndAFailedReplicaA502NamingItsVersionAsRouted() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            FrontProxy proxy = new FrontProxy(1, 8, 100);
            URI url = URI.create("http://127.0.0.1:" + PlatformFixture.await(proxy.listen(0)) + "/");
            assertThat(f.get(url, "1", null)).isEqualTo(new Reply(503, null, null));

            proxy.update(List.of(Endpoint.of("v2-9", "v2", 0, closedPort())), new Routing.AllReady());
            assertThat(f.get(url, "1", null)).isEqualTo(new Reply(502, null, "v2-9", "v2"));

            DemoService replica = new DemoService(f.vertx, 0, "v1", "v1-1", Behavior.DEFAULT);
            PlatformFixture.await(replica.start());
            proxy.update(List.of(Endpoint.of("v1-1", "v1", 0, replica.port())), new Routing.AllReady());
            assertThat(f.get(url, "1", null)).isEqualTo(new Reply(200, "v1", "v1-1"));
            PlatformFixture.await(proxy.stop());
        }
    }

    /** A replica answering every request 500, behind a one-lane proxy, and a client reusing one connection. */
    @Test
    void fiveHundredsFromAReplicaOrTheProxyKeepEveryConnectionAlive() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            FrontProxy proxy = new FrontProxy(1, 8, 100);
            URI url = URI.create("http://127.0.0.1:" + PlatformFixture.await(proxy.listen(0)) + "/");
            assertThat(f.get(url, "1", null).status()).isEqualTo(503);
            DemoService replica = new DemoService(f.vertx, 0, "v1", "v1-1", new Behavior(1, null, null, null));
            PlatformFixture.await(replica.start());
            proxy.update(List.of(Endpoint.of("v1-1", "v1", 0, replica.port())), new Routing.AllReady());
            for (int i = 0; i < 100; i++) {
                assertThat(f.get(url, "1", null).status()).isEqualTo(500);
            }
            Runnable lift = proxy.impair(FrontProxy.errors(e -> true, 1));
            for (int i = 0; i < 100; i++) {
                assertThat(f.get(url, "1", null).status()).isEqualTo(503);
            }
            lift.run();

            // Requests go one at a time: one connection on each side carries all of them.
            assertThat(proxy.acceptedConnections()).isEqualTo(1);
            assertThat(replica.connectionsAccepted()).isEqualTo(1);
            PlatformFixture.await(proxy.stop());
        }
    }

    /**
     * The generator at a rate well above what one connection carries, with a third of the answers 5xx: the proxy
     * accepts no more connections than the generator opens, the replicas no more than the proxy's pool holds.
     */
    @Test
    void aHighRateWithErrorsOpensNoConnectionBeyondThePools() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            int perEndpoint = 8;
            FrontProxy proxy = new FrontProxy(2, perEndpoint, 100);
            URI url = URI.create("http://127.0.0.1:" + PlatformFixture.await(proxy.listen(0)) + "/");
            List<DemoService> replicas = new ArrayList<>();
            List<Endpoint> endpoints = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                DemoService r = new DemoService(f.vertx, 0, "v1", "v1-" + i, new Behavior(0.3, null, null, null));
                PlatformFixture.await(r.start());
                replicas.add(r);
                endpoints.add(Endpoint.of("v1-" + i, "v1", 0, r.port()));
            }
            proxy.update(endpoints, new Routing.AllReady());
            int connections = 16;
            Load.Result load = Load.drive(url, 4000, Duration.ofSeconds(3), connections);

            assertThat(load.sent()).isEqualTo(12_000);
            assertThat(load.errorRate()).isCloseTo(0.3, within(0.05));
            assertThat(load.timeouts()).isZero();
            assertThat(proxy.acceptedConnections()).isLessThanOrEqualTo(connections);
            assertThat(replicas).allSatisfy(r -> assertThat(r.connectionsAccepted()).isLessThanOrEqualTo(perEndpoint));
            PlatformFixture.await(proxy.stop());
        }
    }

    /**
     * Clients that open a connection per request (as a generator churning its connections does) leave none open at
     * the proxy, and the replicas still see only the pool's connections.
     */
    @Test
    void connectionChurnIsReleasedOnBothSides() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            int perEndpoint = 4;
            FrontProxy proxy = new FrontProxy(2, perEndpoint, 100);
            int port = PlatformFixture.await(proxy.listen(0));
            DemoService replica = new DemoService(f.vertx, 0, "v1", "v1-1", Behavior.DEFAULT);
            PlatformFixture.await(replica.start());
            proxy.update(List.of(Endpoint.of("v1-1", "v1", 0, replica.port())), new Routing.AllReady());
            int requests = 1000;
            for (int i = 0; i < requests; i++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .startsWith("HTTP/1.1 200");
                }
            }

            assertThat(proxy.acceptedConnections()).isEqualTo(requests);
            PlatformFixture.eventually(Duration.ofSeconds(5), () -> proxy.openConnections() == 0);
            assertThat(replica.connectionsAccepted()).isLessThanOrEqualTo(perEndpoint);
            PlatformFixture.await(proxy.stop());
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            int cap = 20;
            FrontProxy proxy = new FrontProxy(2, 4, cap);
            int port = PlatformFixture.await(proxy.listen(0));
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < cap + 10; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    sockets.add(s);
                }
                PlatformFixture.eventually(Duration.ofSeconds(5), () -> proxy.acceptedConnections() == cap + 10);
                long closedByProxy = 0;
                for (Socket s : sockets) {
                    // A kept connection gets its answer (503: no endpoint) and stays open; the others are closed.
                    if (s.getInputStream().read() == -1) {
                        closedByProxy++;
                    }
                }
                assertThat(closedByProxy).isEqualTo(10);
                assertThat(proxy.openConnections()).isEqualTo(cap);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            PlatformFixture.eventually(Duration.ofSeconds(5), () -> proxy.openConnections() == 0);
            PlatformFixture.await(proxy.stop());
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
