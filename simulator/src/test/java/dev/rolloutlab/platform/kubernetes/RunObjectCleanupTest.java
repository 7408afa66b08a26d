package dev.rolloutlab.platform.kubernetes;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user with rights in the run's namespace only, and none on Istio or Chaos Mesh kinds: the API server answers those
 * 403. The cleanup deletes what it may, says what it may not, and never lists namespaces cluster-wide for a run.
 */
class RunObjectCleanupTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private KubernetesClient client;

    @BeforeEach
    void namespacedRights() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            requests.add(request);
            boolean forbidden = request.contains("chaos-mesh.org") || request.contains("networking.istio.io")
                || request.equals("GET /api/v1/namespaces");
            String body = forbidden
                ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\","
                    + "\"message\":\"forbidden: User \\\"ci\\\" cannot list resource\",\"code\":403}"
                : exchange.getRequestMethod().equals("DELETE")
                    ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\",\"details\":{\"name\":\"rl-x\"}}"
                    : "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(forbidden ? 403 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).withRequestRetryBackoffLimit(0)
            .build()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void whatItMayNotListIsReportedAndTheRestIsStillDeleted() {
        RunObjectCleanup.Cleaned cleaned = RunObjectCleanup.delete(client, "rl-x", "r1",
            RunObjectCleanup.Namespaces.OWN, deleted -> { });

        assertThat(cleaned.left()).hasSize(2).allMatch(l -> l.contains(": forbidden ("));
        assertThat(cleaned.left().get(0)).startsWith("Chaos Mesh objects in rl-x: forbidden");
        assertThat(cleaned.left().get(1)).startsWith("IstioRouter routes in rl-x: forbidden");
        assertThat(requests).contains("GET /apis/apps/v1/namespaces/rl-x/deployments",
            "GET /api/v1/namespaces/rl-x/services", "DELETE /api/v1/namespaces/rl-x");
        assertThat(requests).as("no cluster-wide listing of namespaces").doesNotContain("GET /api/v1/namespaces");
        assertThat(cleaned.deleted()).isEqualTo(1);
    }

    @Test
    void aNamespaceThatIsTheUsersIsNeverDeleted() {
        RunObjectCleanup.delete(client, "team-a", "r1", RunObjectCleanup.Namespaces.NONE, deleted -> { });

        assertThat(requests).noneMatch(r -> r.startsWith("DELETE /api/v1/namespaces/team-a"))
            .doesNotContain("GET /api/v1/namespaces");
    }
}
