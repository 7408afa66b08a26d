package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rolloutlab.chaos.mesh.ChaosKind;
import dev.rolloutlab.chaos.mesh.ChaosMeta;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cleanup}, and the context safety every cluster command shares: a context that is not allowed is refused
 * from the kubeconfig alone, before any request reaches its API server.
 */
@EnableKubernetesMockClient(crud = true)
class CleanupCommandTest {
    KubernetesClient client;

    @TempDir
    Path dir;

    private Kubeconfig kubeconfig;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    /** A kubeconfig with a production context and a kind one, both pointing at a server that counts requests. */
    @BeforeEach
    void kubeconfig() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(403, -1); // forbidden: an answer the client does not retry
            exchange.close();
        });
        server.start();
        kubeconfig = new Kubeconfig(dir, "http://127.0.0.1:" + server.getAddress().getPort(), "prod-eu", "kind-lab");
    }

    @AfterEach
    void restore() {
        kubeconfig.close();
        server.stop(0);
    }

    @Test
    void refusesACurrentContextThatIsNotKindBeforeAnyRequest() throws IOException {
        Path scenario = Files.writeString(dir.resolve("shop.yaml"), """
            name: shop
            platform: kubernetes
            load: { rate: 10/s, duration: 2s }
            """);

        Cli cleanup = Cli.run("cleanup", "--all");
        Cli run = Cli.run("run", scenario.toString(), "--out", dir.resolve("out").toString());

        for (Cli refused : new Cli[] {cleanup, run}) {
            assertThat(refused.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(refused.err()).contains("refusing kubeconfig context \"prod-eu\"", "--allow-context",
                dir.resolve("allowed-contexts").toString()).doesNotContain("\tat ");
        }
        assertThat(requests).hasValue(0);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void anUnknownContextIsBadInputNamingTheKnownOnes() {
        Cli cleanup = Cli.run("cleanup", "--all", "--context", "kind-elsewhere");

        assertThat(cleanup.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(cleanup.err()).contains("\"kind-elsewhere\" does not exist (known: prod-eu, kind-lab)");
        assertThat(requests).hasValue(0);
    }

    @Test
    void aContextListedInTheAllowFileOrAllowedOnTheCommandLineIsUsed() throws IOException {
        Files.writeString(ClusterOptions.allowFile, "# clusters rollout-lab may act on\nprod-eu\n");
        Cli listed = Cli.run("cleanup", "--all");
        Files.delete(ClusterOptions.allowFile);
        Cli flagged = Cli.run("cleanup", "--all", "--allow-context");

        // Both reached the API server, which refuses them here: a cluster error, exit 3.
        assertThat(listed.exit()).isEqualTo(Main.EXIT_RUN_FAILED);
        assertThat(flagged.exit()).isEqualTo(Main.EXIT_RUN_FAILED);
        assertThat(requests.get()).isPositive();
    }

    @Test
    void needsExactlyOneOfRunOrAll() {
        Cli neither = Cli.run("cleanup", "--context", "kind-lab");
        assertThat(neither.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(neither.err()).contains("--run", "--all");

        Cli both = Cli.run("cleanup", "--run", "r1", "--all");
        assertThat(both.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(both.err()).contains("mutually exclusive");
    }

    @Test
    void deletesEverythingLabelledWithTheRunAndNothingElse() {
        Map<String, String> r1 = Map.of(ChaosMeta.MANAGED_BY_LABEL, ChaosMeta.MANAGED_BY, ChaosMeta.RUN_ID_LABEL, "r1");
        Map<String, String> r2 = Map.of(ChaosMeta.MANAGED_BY_LABEL, ChaosMeta.MANAGED_BY, ChaosMeta.RUN_ID_LABEL, "r2");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("rl-r1").withLabels(r1)
            .endMetadata().build()).create();
        client.apps().deployments().resource(deployment("shop", "rl-r1", r1)).create();
        client.apps().deployments().resource(deployment("shop", "rl-r2", r2)).create();
        client.apps().deployments().resource(deployment("theirs", "rl-r1", Map.of("app", "theirs"))).create();
        client.genericKubernetesResources(ChaosKind.POD_CHAOS.context()).inNamespace("rl-r1")
            .resource(new GenericKubernetesResourceBuilder().withApiVersion("chaos-mesh.org/v1alpha1")
                .withKind("PodChaos").withNewMetadata().withName("rl-r1-1-kill").withNamespace("rl-r1")
                .withLabels(r1).endMetadata().build()).create();
        ClusterOptions.clients = c -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();

        Cli cleanup = Cli.run("cleanup", "--run", "r1", "--context", "kind-lab");

        assertThat(cleanup.err()).isEmpty();
        assertThat(cleanup.exit()).isZero();
        assertThat(cleanup.out().lines()).containsExactly("deleted PodChaos rl-r1/rl-r1-1-kill",
            "deleted Deployment rl-r1/shop", "deleted Namespace rl-r1", "3 objects deleted");
        assertThat(client.apps().deployments().inAnyNamespace().list().getItems())
            .extracting(d -> d.getMetadata().getNamespace() + "/" + d.getMetadata().getName())
            .containsExactlyInAnyOrder("rl-r2/shop", "rl-r1/theirs");
    }

    private static io.fabric8.kubernetes.api.model.apps.Deployment deployment(String name, String namespace,
                                                                              Map<String, String> labels) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
            .endMetadata().withNewSpec().withReplicas(1).endSpec().build();
    }
}
