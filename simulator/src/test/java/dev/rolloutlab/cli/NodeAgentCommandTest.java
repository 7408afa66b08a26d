package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code node-agent}'s refusals, which come before it registers anything; it at work: NodeAgentControlPlaneTest. */
class NodeAgentCommandTest {
    @TempDir
    Path dir;

    @Test
    void refusesAContextThatIsNotAllowedAndNoNodesBeforeAnyRequest() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
        });
        server.start();
        try (Kubeconfig kubeconfig = new Kubeconfig(dir, "http://127.0.0.1:" + server.getAddress().getPort(),
            "prod-eu", "kind-lab")) {
            Cli prod = Cli.run("node-agent");
            Cli none = Cli.run("node-agent", "--context", "kind-lab", "--nodes", "0");
            int before = requests.get();
            Cli forbidden = Cli.run("node-agent", "--context", "kind-lab");

            assertThat(prod.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(prod.err()).contains("refusing kubeconfig context \"prod-eu\"").doesNotContain("\tat ");
            assertThat(none.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(none.err()).contains("--nodes must be at least 1, got 0");
            assertThat(before).as("neither reached the API server").isZero();
            assertThat(forbidden.exit()).as("the API server refused the Nodes").isEqualTo(Main.EXIT_RUN_FAILED);
            assertThat(forbidden.err()).contains("rollout-lab node-agent: cannot register the Nodes at");
        } finally {
            server.stop(0);
        }
    }
}
