package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ManifestsCommandTest {
    static final String SCENARIO = """
        name: shop
        service:
          stable: { version: v1 }
          candidate: { version: v2 }
        load: { rate: 100/s, duration: 60s }
        strategy: { type: canary, steps: [ {setWeight: 10}, {pause: 20s} ] }
        faults:
          - { at: 15s, type: outage, duration: 1.5s }
          - { at: 20s, type: kill, target: candidate, count: 1 }
          - { at: 25s, type: latency, target: stable, delay: 100ms, duration: 10s }
          - { at: 25s, type: errors, target: all, share: 0.3, duration: 10s }
          - { at: 30s, type: cpu-stress, target: candidate, duration: 10s }
        """;

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path scenario(String yaml) throws IOException {
        return Files.writeString(dir.resolve("shop.yaml"), yaml);
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        new YAMLMapper().readerFor(JsonNode.class).readValues(yaml).forEachRemaining(d -> docs.add((JsonNode) d));
        docs.removeIf(JsonNode::isMissingNode); // the header comment before the first ---
        return docs;
    }

    @Test
    void printsOneChaosMeshObjectPerFaultAsAYamlStream() throws IOException {
        Run run = run("manifests", scenario(SCENARIO).toString(), "--namespace", "lab", "--run-id", "r7");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("# fault 1: at 15s, outage, target all", "# fault 5: at 30s, cpu-stress");
        List<JsonNode> docs = documents(run.out());
        docs.removeIf(d -> !d.get("apiVersion").asText().startsWith("chaos-mesh.org"));
        assertThat(docs).extracting(d -> d.get("kind").asText())
            .containsExactly("PodChaos", "PodChaos", "NetworkChaos", "HTTPChaos", "StressChaos");
        assertThat(docs).allSatisfy(d -> {
            assertThat(d.get("apiVersion").asText()).isEqualTo("chaos-mesh.org/v1alpha1");
            assertThat(d.at("/metadata/namespace").asText()).isEqualTo("lab");
            assertThat(d.at("/metadata/labels/rollout-lab~1run-id").asText()).isEqualTo("r7");
            assertThat(d.at("/spec/selector/namespaces/0").asText()).isEqualTo("lab");
            assertThat(d.at("/spec/selector/labelSelectors/app").asText()).isEqualTo("shop");
            assertThat(d.at("/spec/duration").isTextual()).isTrue();
        });
        assertThat(docs.get(1).at("/metadata/name").asText()).isEqualTo("rl-r7-2-kill");
        assertThat(docs.get(1).at("/spec/selector/labelSelectors/version").asText()).isEqualTo("v2");
        assertThat(docs.get(3).at("/spec/replace/code").asInt()).isEqualTo(503);
    }

    @Test
    void badScenarioOrRunIdIsBadInput() throws IOException {
        Run bad = run("manifests", scenario(SCENARIO.replace("type: kill", "type: explode")).toString());
        assertThat(bad.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(bad.err()).contains("shop.yaml:").contains("explode").doesNotContain("Exception");
        assertThat(bad.out()).isEmpty();

        Run badId = run("manifests", scenario(SCENARIO).toString(), "--run-id", "Not_OK");
        assertThat(badId.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(badId.err().lines()).containsExactly("rollout-lab: --run-id: bad run id \"Not_OK\" "
            + "(expected lower-case letters, digits and inner dashes, at most 40 characters)");
    }

    /** The rights a run needs: cluster-wide with a namespace per run, else a Role in the given namespace. */
    @Test
    void rbacIsTheRoleOrClusterRoleTheRunNeeds() throws IOException {
        Path file = scenario(SCENARIO);

        List<JsonNode> cluster = documents(run("manifests", file.toString(), "--rbac").out());
        assertThat(cluster).singleElement().satisfies(role -> {
            assertThat(role.path("kind").asText()).isEqualTo("ClusterRole");
            assertThat(resources(role)).containsExactly("namespaces", "services", "pods", "deployments", "podchaos",
                "networkchaos", "httpchaos", "stresschaos");
        });

        Path istio = Files.writeString(dir.resolve("istio.yaml"), """
            name: shop
            service: { candidate: { version: v2 } }
            load: { rate: 100/s, duration: 60s }
            strategy: { type: canary, trafficRouting: istio, steps: [ {setWeight: 10} ] }
            """);
        List<JsonNode> namespaced = documents(run("manifests", istio.toString(), "--rbac", "--namespace", "team-a")
            .out());
        assertThat(namespaced).singleElement().satisfies(role -> {
            assertThat(role.path("kind").asText()).isEqualTo("Role");
            assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("team-a");
            assertThat(resources(role)).containsExactly("services", "pods", "deployments", "virtualservices",
                "destinationrules");
        });
    }

    private static List<String> resources(JsonNode role) {
        List<String> resources = new ArrayList<>();
        role.path("rules").forEach(rule -> rule.path("resources").forEach(r -> resources.add(r.asText())));
        return resources;
    }
}
