package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CleanupCommandTest {
    private final Function<io.fabric8.kubernetes.client.Config, KubernetesClient> realClients = CleanupCommand.clients;
    private HttpServer server;

    @AfterEach
    void restore() {
        CleanupCommand.clients = realClients;
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void refusesAContextThatIsNotKindWithoutTouchingIt() {
        CleanupCommand.clients = c -> {
            throw new AssertionError("no client may be built for a refused context");
        };
        ManifestsCommandTest.Run run = ManifestsCommandTest.run("cleanup", "--all", "--context", "prod-eu");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run.err().lines()).containsExactly("rollout-lab: cleanup: refusing kubeconfig context \"prod-eu\": "
            + "not a kind-* cluster; pass --allow-context to clean it up anyway");
    }

    @Test
    void needsExactlyOneOfRunOrAll() {
        ManifestsCommandTest.Run neither = ManifestsCommandTest.run("cleanup", "--context", "kind-lab");
        assertThat(neither.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(neither.err()).contains("--run", "--all");

        ManifestsCommandTest.Run both = ManifestsCommandTest.run("cleanup", "--run", "r1", "--all");
        assertThat(both.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(both.err()).contains("mutually exclusive");
    }

    /** A stand-in API server with one leftover PodChaos of run r1, recording the requests it gets. */
    @Test
    void deletesTheLeftoversOfARunAndSaysWhat() throws IOException {
        List<String> requests = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String leftover = "{\"apiVersion\":\"chaos-mesh.org/v1alpha1\",\"kind\":\"PodChaos\","
                + "\"metadata\":{\"name\":\"rl-r1-2-kill\",\"namespace\":\"lab\"}}";
            String body = exchange.getRequestMethod().equals("DELETE") ? leftover
                : "{\"apiVersion\":\"chaos-mesh.org/v1alpha1\",\"kind\":\"List\",\"items\":["
                    + (path.endsWith("/podchaos") ? leftover : "") + "]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        CleanupCommand.clients = c -> new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl(url).withRequestRetryBackoffLimit(0).build()).build();

        ManifestsCommandTest.Run run = ManifestsCommandTest.run("cleanup", "--run", "r1", "--context", "kind-lab");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsExactly("deleted PodChaos lab/rl-r1-2-kill", "1 object deleted");
        assertThat(requests).contains("GET /apis/chaos-mesh.org/v1alpha1/podchaos?labelSelector="
                + "app.kubernetes.io%2Fmanaged-by%3Drollout-lab%2Crollout-lab%2Frun-id%3Dr1",
            "DELETE /apis/chaos-mesh.org/v1alpha1/namespaces/lab/podchaos/rl-r1-2-kill");
    }
}
