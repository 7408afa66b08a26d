package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way each command ends other than by its verdict, through the command line as a user meets it: the exit code
 * (2 bad input, 3 the work could not be done) and exactly what stderr says, one line per problem and never a stack
 * trace unless the failure was unexpected.
 */
class FailurePathsTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    /** An API server that answers every request 403 (the client does not retry it), and a target that answers 200. */
    private HttpServer forbidding;
    private HttpServer target;
    private Kubeconfig kubeconfig;

    @BeforeEach
    void servers() throws IOException {
        forbidding = server(403);
        target = server(200);
        kubeconfig = new Kubeconfig(dir, "http://127.0.0.1:" + forbidding.getAddress().getPort(), "prod-eu",
            "kind-lab");
    }

    @AfterEach
    void stop() {
        kubeconfig.close();
        forbidding.stop(0);
        target.stop(0);
    }

    private static HttpServer server(int status) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        s.start();
        return s;
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** A load-only scenario against {@link #target}: a run of about a second that always completes. */
    private Path loadOnly(String name) throws IOException {
        return file(name + ".yaml", """
            name: %s
            load: { target: "http://127.0.0.1:%d/", rate: 20/s, duration: 1s, warmup: 0s }
            """.formatted(name, target.getAddress().getPort()));
    }

    private Path onKubernetes(String name) throws IOException {
        return file(name + ".yaml", """
            name: %s
            platform: kubernetes
            load: { rate: 10/s, duration: 2s }
            """.formatted(name));
    }

    /** A folder where a file is expected, so that writing that file fails. */
    private static void blockWith(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createDirectories(file.resolve("blocked"));
    }

    private String refused() {
        return "refusing kubeconfig context \"prod-eu\": rollout-lab deploys, injects faults and deletes there, so "
            + "only kind-* contexts are allowed by default; pass --allow-context, or add the line \"prod-eu\" to "
            + dir.resolve("allowed-contexts");
    }

    private static void assertFailed(Cli cli, int exit, String err) {
        assertThat(cli.err()).isEqualTo(err);
        assertThat(cli.exit()).isEqualTo(exit);
    }

    /** One line starting with {@code prefix}: what the rest says comes from the JDK or the cluster. */
    private static void assertFailedWithLine(Cli cli, int exit, String prefix) {
        assertThat(cli.err()).startsWith(prefix).endsWith(NL).doesNotContain("\tat ");
        assertThat(cli.err().lines()).hasSize(1);
        assertThat(cli.exit()).isEqualTo(exit);
    }

    /** Picocli passes errors through: running out of memory or stack must still end on one line with 3. */
    @Test
    void runningOutOfMemoryOrStackIsCouldNotFinishOnOneLine() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stream = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);

        assertThat(Main.withinMemory(() -> {
            throw new OutOfMemoryError("Java heap space");
        }, stream)).isEqualTo(Main.EXIT_RUN_FAILED);
        assertThat(Main.withinMemory(() -> {
            throw new StackOverflowError();
        }, stream)).isEqualTo(Main.EXIT_RUN_FAILED);

        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8).lines()).containsExactly(
            "rollout-lab: failed: out of memory (Java heap space); give the JVM more with JAVA_OPTS=-Xmx..., or "
                + "lower the scenario's rate, users or duration",
            "rollout-lab: failed: the input is nested too deeply (stack overflow)");
    }

    @Test
    void runRefusesBadInput() throws IOException {
        Path bad = file("bad.yaml", "load: { rate: fast, duration: 2s }\n");

        assertFailed(Cli.run("run", bad.toString()), Main.EXIT_BAD_INPUT,
            bad + ":1:15: load.rate: bad rate \"fast\" (expected e.g. 1000/s, 600/m)" + NL);
        assertFailed(Cli.run("run", dir.resolve("missing.yaml").toString()), Main.EXIT_BAD_INPUT,
            dir.resolve("missing.yaml") + ": no such file" + NL);
        assertFailed(Cli.run("run", bad.toString(), "--bogus"), Main.EXIT_BAD_INPUT,
            "rollout-lab: Unknown option: '--bogus'" + NL + "Try 'rollout-lab run --help'." + NL);
        assertFailed(Cli.run("run"), Main.EXIT_BAD_INPUT,
            "rollout-lab: Missing required parameter: 'SCENARIO.yaml'" + NL + "Try 'rollout-lab run --help'." + NL);
        assertFailed(Cli.run("run", onKubernetes("shop").toString()), Main.EXIT_BAD_INPUT,
            "rollout-lab: " + refused() + NL);
    }

    @Test
    void runThatFailsExitsThree() throws IOException {
        Cli failed = Cli.run("run", onKubernetes("shop").toString(), "--allow-context", "--out",
            dir.resolve("out").toString());

        assertFailedWithLine(failed, Main.EXIT_RUN_FAILED,
            "rollout-lab: run failed: the kubernetes platform did not start: ");
    }

    /** An output folder that cannot take the run's files is refused before anything runs, not after. */
    @Test
    void runWhoseFilesCouldNotBeWrittenIsRefusedBeforeItRuns() throws IOException {
        Path out = dir.resolve("out");
        blockWith(out.resolve("result.json"));
        Path file = Files.writeString(dir.resolve("a-file"), "x");

        assertFailed(Cli.run("run", loadOnly("probe").toString(), "--out", out.toString()), Main.EXIT_BAD_INPUT,
            "rollout-lab: --out " + out + ": result.json there is a folder, where the run writes a file" + NL);
        assertFailed(Cli.run("run", loadOnly("probe").toString(), "--out", file.toString()), Main.EXIT_BAD_INPUT,
            "rollout-lab: --out " + file + ": not a folder" + NL);
        assertFailed(Cli.run("run", loadOnly("probe").toString(), "--out", "/dev/null"), Main.EXIT_BAD_INPUT,
            "rollout-lab: --out /dev/null: not a folder" + NL);
    }

    @Test
    void aComparedScenarioCannotBeNamedAfterAFileOfTheComparison() throws IOException {
        Path named = file("named.yaml", "name: compare.md\nload: { rate: 10/s, duration: 2s }\n");
        Path other = loadOnly("other");

        assertFailed(Cli.run("compare", named.toString(), other.toString(), "--out", dir.resolve("c").toString()),
            Main.EXIT_BAD_INPUT, named + ": name: 'compare.md' is the name of a file of the comparison; its run "
                + "folder would take its place" + NL);
    }

    @Test
    void compareRefusesBadInputBeforeRunningAnything() throws IOException {
        Path bad = file("bad.yaml", "load: { rate: fast, duration: 2s }\n");
        Path first = loadOnly("twin");
        Path second = Files.copy(first, dir.resolve("twin-again.yaml"));

        assertFailed(Cli.run("compare", bad.toString(), first.toString(), second.toString()), Main.EXIT_BAD_INPUT,
            bad + ":1:15: load.rate: bad rate \"fast\" (expected e.g. 1000/s, 600/m)" + NL
                + second + ": name: 'twin' is used by another scenario of this comparison; each run needs its own "
                + "output folder" + NL);
        assertFailed(Cli.run("compare", onKubernetes("a").toString(), onKubernetes("b").toString()),
            Main.EXIT_BAD_INPUT, "rollout-lab: " + refused() + NL);
    }

    @Test
    void compareWhoseRunFailsNamesTheScenario() throws IOException {
        Path a = onKubernetes("a");

        Cli failed = Cli.run("compare", a.toString(), onKubernetes("b").toString(), "--allow-context", "--out",
            dir.resolve("out").toString());

        assertFailedWithLine(failed, Main.EXIT_RUN_FAILED,
            "rollout-lab: run of " + a + " failed: the kubernetes platform did not start: ");
    }

    @Test
    void compareThatCouldNotWriteTheComparisonIsRefusedBeforeItRuns() throws IOException {
        Path out = dir.resolve("out");
        blockWith(out.resolve("compare.md"));

        Cli failed = Cli.run("compare", loadOnly("first").toString(), loadOnly("second").toString(), "--out",
            out.toString());

        assertFailed(failed, Main.EXIT_BAD_INPUT, "rollout-lab: --out " + out + ": compare.md there is a folder, "
            + "where the run writes a file" + NL);
        assertThat(out.resolve("first")).doesNotExist();
    }

    @Test
    void cleanupRefusesAContextAndReportsAClusterError() {
        assertFailed(Cli.run("cleanup", "--all"), Main.EXIT_BAD_INPUT, "rollout-lab: cleanup: " + refused() + NL);
        assertFailed(Cli.run("cleanup", "--all", "--context", "kind-elsewhere"), Main.EXIT_BAD_INPUT,
            "rollout-lab: cleanup: kubeconfig context \"kind-elsewhere\" does not exist (known: prod-eu, kind-lab)"
                + NL);
        // Every kind is forbidden here: each is said on its line, and the cleanup is not a clean bill (3).
        Cli forbidden = Cli.run("cleanup", "--all", "--context", "kind-lab");
        assertThat(forbidden.exit()).isEqualTo(Main.EXIT_RUN_FAILED);
        assertThat(forbidden.err().lines()).hasSize(6)
            .allMatch(l -> l.startsWith("rollout-lab: cleanup: not allowed to clean up ") && l.contains(": forbidden"));
        assertFailed(Cli.run("cleanup", "--run", "r1", "--all"), Main.EXIT_BAD_INPUT,
            "rollout-lab: Error: --run=ID, --all are mutually exclusive (specify only one)" + NL
                + "Try 'rollout-lab cleanup --help'." + NL);
    }

    @Test
    void anUnexpectedFailureIsAFailedRunWithItsTypeAndNoStackTrace() {
        ClusterOptions.clients = config -> {
            throw new IllegalStateException("no client today");
        };

        assertFailed(Cli.run("cleanup", "--all", "--context", "kind-lab"), Main.EXIT_RUN_FAILED,
            "rollout-lab: failed: java.lang.IllegalStateException: no client today" + NL
                + "(set ROLLOUT_LAB_DEBUG=1 for the stack trace)" + NL);
    }

    @Test
    void reportRefusesWhatItCannotReadAndFailsOnWhatItCannotWrite() throws IOException {
        assertFailed(Cli.run("report", dir.resolve("nowhere").toString()), Main.EXIT_BAD_INPUT,
            dir.resolve("nowhere") + ": no such folder" + NL);

        Path compare = dir.resolve("compare");
        Files.createDirectories(compare.resolve("a"));
        Files.createDirectories(compare.resolve("b"));
        Files.writeString(compare.resolve("a/result.json"), "[]");
        Files.writeString(compare.resolve("b/result.json"), "{\"schemaVersion\": 2}");
        assertFailed(Cli.run("report", compare.toString()), Main.EXIT_BAD_INPUT,
            compare.resolve("a/result.json") + ": no schemaVersion; not a rollout-lab result.json" + NL
                + compare.resolve("b/result.json") + ": schemaVersion 2 is not supported (this rollout-lab reads "
                + "schemaVersion 1)" + NL);

        Path run = dir.resolve("run");
        Cli ran = Cli.run("run", loadOnly("probe").toString(), "--out", run.toString());
        assertThat(ran.exit()).as(ran.err()).isZero();
        blockWith(run.resolve("summary.md"));
        assertFailedWithLine(Cli.run("report", run.toString()), Main.EXIT_RUN_FAILED,
            "rollout-lab: cannot write " + run.resolve("summary.md") + ": ");
    }

    @Test
    void diffRefusesEveryBadGateAndFileAndFailsOnAMarkdownItCannotWrite() throws IOException {
        Path run = dir.resolve("run");
        Cli ran = Cli.run("run", loadOnly("probe").toString(), "--out", run.toString());
        assertThat(ran.exit()).as(ran.err()).isZero();
        Path result = run.resolve("result.json");
        Path missing = dir.resolve("missing.json");

        Cli refused = Cli.run("diff", result.toString(), missing.toString(), "--gate", "p95=+10%");
        assertThat(refused.err().lines()).satisfiesExactly(
            gate -> assertThat(gate)
                .startsWith("rollout-lab: --gate p95=+10%: unknown metric 'p95'; known: requests, "),
            file -> assertThat(file).isEqualTo(missing + ": no such file"));
        assertThat(refused.exit()).isEqualTo(Main.EXIT_BAD_INPUT);

        Path markdown = dir.resolve("diff.md");
        blockWith(markdown);
        assertFailedWithLine(Cli.run("diff", result.toString(), result.toString(), "--markdown", markdown.toString()),
            Main.EXIT_RUN_FAILED, "rollout-lab: cannot write " + markdown + ": ");
    }

    @Test
    void manifestsRefuseWhatAKubernetesRunCouldNotApply() throws IOException {
        Path shop = file("shop.yaml", ManifestsCommandTest.SCENARIO);

        assertFailed(Cli.run("manifests", shop.toString(), "--platform", "local"), Main.EXIT_BAD_INPUT,
            "rollout-lab: --platform: only kubernetes runs apply objects, got \"local\"" + NL);
        assertFailed(Cli.run("manifests", loadOnly("external").toString()), Main.EXIT_BAD_INPUT,
            dir.resolve("external.yaml") + ": load.target: a run against an external service deploys nothing; "
                + "remove it to print what a kubernetes run deploys" + NL);
        assertFailed(Cli.run("manifests", shop.toString(), "--run-id", "Not_OK"), Main.EXIT_BAD_INPUT,
            "rollout-lab: --run-id: bad run id \"Not_OK\" (expected lower-case letters, digits and inner dashes, at "
                + "most 40 characters)" + NL);
    }

    @Test
    void demoRefusesABadPortAndFailsOnABusyOne() throws IOException {
        assertFailed(Cli.run("demo", "--port", "70000"), Main.EXIT_BAD_INPUT,
            "rollout-lab: --port must be within 0..65535, got 70000" + NL + "Try 'rollout-lab demo --help'." + NL);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertFailed(Cli.run("demo", "--port", String.valueOf(port)), Main.EXIT_RUN_FAILED,
                "rollout-lab demo: port " + port + " is in use on 127.0.0.1" + NL);
        }
    }

    @Test
    void benchRefusesEachBadOption() {
        assertFailed(Cli.run("bench", "--recorder", "0"), Main.EXIT_BAD_INPUT,
            "rollout-lab bench: --recorder must be > 0" + NL);
        assertFailed(Cli.run("bench", "--target", "http://10.1.2.3/"), Main.EXIT_BAD_INPUT,
            "rollout-lab bench: --target must be on loopback (127.0.0.0/8 or localhost), got http://10.1.2.3/" + NL);
        assertFailed(Cli.run("bench", "--duration", "2s"), Main.EXIT_BAD_INPUT,
            "rollout-lab bench: --duration must be at least 3 request timeouts (3s), got PT2S" + NL);
        assertFailed(Cli.run("bench", "--lanes", "0"), Main.EXIT_BAD_INPUT,
            "rollout-lab bench: --lanes must be within 1..--connections" + NL);
        assertFailed(Cli.run("bench", "--platform", "kubernetes"), Main.EXIT_BAD_INPUT,
            "rollout-lab bench: --platform takes local (a cluster is measured with `run`), got kubernetes" + NL);
        assertFailed(Cli.run("bench", "--platform", "local", "--target", "http://127.0.0.1:9/"), Main.EXIT_BAD_INPUT,
            "rollout-lab bench: --platform local measures its own replicas; leave out --target and --recorder" + NL);
        assertFailed(Cli.run("bench", "--platform", "local", "--replicas", "0"), Main.EXIT_BAD_INPUT,
            "rollout-lab bench: need --replicas >= 1, 1 <= --lanes <= --connections and --from >= 1" + NL);
        assertFailed(Cli.run("bench", "--platform", "local", "--duration", "2s"), Main.EXIT_BAD_INPUT,
            "rollout-lab bench: --duration must be at least 3 times --timeout (1000 ms), so that a backlog shows as "
                + "timeouts within a trial" + NL);
        assertFailed(Cli.run("bench", "--duration", "soon"), Main.EXIT_BAD_INPUT,
            "rollout-lab: Invalid value for option '--duration': bad duration \"soon\" (expected e.g. 250ms, "
                + "1.5s, 2m, 1h)" + NL
                + "Try 'rollout-lab bench --help'." + NL);
    }

    @Test
    void validateNamesEveryProblem() throws IOException {
        Path bad = file("bad.yaml", "load: { rate: fast, duration: 2s }\n");

        assertFailed(Cli.run("validate", bad.toString(), loadOnly("fine").toString()), Main.EXIT_BAD_INPUT,
            bad + ":1:15: load.rate: bad rate \"fast\" (expected e.g. 1000/s, 600/m)" + NL);
    }
}
