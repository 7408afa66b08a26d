package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.platform.kubernetes.FakeCluster;
import dev.rolloutlab.platform.kubernetes.MockApiServer;
import dev.rolloutlab.platform.kubernetes.RunObjectCleanup;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollout-lab run} of a {@code platform: kubernetes} scenario as a user runs it, against the API server mock
 * with the test playing the controllers: the run says where it works, writes its files and leaves nothing behind.
 */
class KubernetesRunCommandTest {
    private MockApiServer server;
    private KubernetesClient client;

    @TempDir
    Path dir;

    /** The mock with its watches' end fixed: the run's pod informer stops while its pods change (see MockApiServer). */
    @BeforeEach
    void startServer() {
        server = MockApiServer.start();
        client = server.client();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aBlueGreenRunOnAKindContextWritesItsResultAndCleansUp() throws Exception {
        try (Kubeconfig kubeconfig = new Kubeconfig(dir, client.getConfiguration().getMasterUrl(), "kind-lab");
             FakeCluster cluster = new FakeCluster(client, "shop")) {
            ClusterOptions.clients = c -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
            URI front = cluster.start(20);
            Path scenario = Files.writeString(dir.resolve("shop.yaml"), """
                name: shop
                platform: kubernetes
                service: { replicas: 2, candidate: { version: v2 } }
                load: { rate: 100/s, duration: 3s, warmup: 0s }
                strategy: { type: blue-green, startAt: 500ms, previewFor: 500ms, scaleDownDelay: 1s }
                kubernetes: { serviceUrl: "%s" }
                gates: { downtimeSeconds: { max: 0 } }
                """.formatted(front));

            Cli run = Cli.run("run", scenario.toString(), "--out", dir.resolve("out").toString());

            assertThat(run.exit()).as(run.out() + "\nERR:" + run.err()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).contains("shop (strategy blue-green) against 2 kubernetes replicas of v1")
                .containsPattern("rollout-lab: run [0-9a-f]{8} in namespace rl-[0-9a-f]{8} on https?://[^ ]+; waiting for the stable pods")
                .contains("rollout-lab: stable pods ready 1/2", "rollout-lab: stable pods ready 2/2")
                .doesNotContain("ready 3/2")
                .contains("shop: promoted (strategy blue-green, platform kubernetes)");
            RunResult result = ResultJson.read(dir.resolve("out/result.json"));
            assertThat(result.platform()).isEqualTo("kubernetes");
            assertThat(result.metrics().downtimeSeconds()).isZero();
            assertThat(result.metrics().requests()).isEqualTo(300);
            assertThat(dir.resolve("out/report.html")).isRegularFile();
            assertThat(cluster.failure()).isNull();
        }
        assertThat(RunObjectCleanup.remaining(client, null, null)).isZero();
        // Every object the run wrote was sent for the API server's strict field validation (deletes carry no object;
        // pods and their status are the FakeCluster's writes, playing the controllers).
        List<String> writes = new ArrayList<>();
        for (RecordedRequest r; (r = server.mock().takeRequest(0, TimeUnit.SECONDS)) != null; ) {
            if (List.of("POST", "PUT", "PATCH").contains(r.getMethod()) && !r.getPath().contains("/pods")) {
                writes.add(r.getMethod() + " " + r.getPath());
            }
        }
        assertThat(writes).isNotEmpty().allSatisfy(w -> assertThat(w).contains("fieldValidation=Strict"));
    }
}
