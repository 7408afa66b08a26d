package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rolloutlab.scenario.ScenarioException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile files, by category, through the command line a user types: each must end with exit 2 within 2 seconds,
 * one line on stderr naming the file, nothing on stdout, and no run started. Scenarios go through {@code validate}
 * and {@code run}; result files through {@code report} and {@code diff}. The files are written to
 * {@code target/hostile-inputs/CATEGORY/} (to look at, or feed to the tool by hand) and the counts per category to
 * {@code target/hostile-inputs/summary.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputSuiteTest {
    private static final Path ROOT = Path.of("target", "hostile-inputs");
    /** Of the refusing thread's CPU time: on a machine of its own, about its wall time. */
    private static final Duration WITHIN = Duration.ofSeconds(2);
    private static final String LOAD = "load: {rate: 10/s, duration: 5s}\n";

    /** A file to write and the commands that read it: {@code FILE} stands for its path. */
    /**
     * @param positioned whether the message gives the line and column (all but what is refused as a whole file: its
     *                   kind, size or encoding)
     */
    private record Hostile(String category, String name, Path file, int problems, boolean positioned,
                           List<List<String>> commands) {
        /** Lines on stderr: one per problem, the first {@link ScenarioException#SHOWN} of them and a count. */
        long lines() {
            return problems > ScenarioException.SHOWN ? ScenarioException.SHOWN + 1 : problems;
        }
    }

    private final Map<String, int[]> tally = new TreeMap<>();
    private Path validResult;

    @BeforeAll
    void aValidRun() throws IOException {
        deleteTree(ROOT);
        Files.createDirectories(ROOT);
        Path scenario = Files.writeString(ROOT.resolve("valid.yaml"),
            "name: valid\nservice: {replicas: 1}\nload: {rate: 50/s, duration: 1s, warmup: 0s, maxSendLag: 1s, "
                + "maxGeneratorLimited: 0.5}\n");
        // A result to corrupt: any measured one will do, so a busy machine's lag must not invalidate it.
        Cli ran = Cli.run("run", scenario.toString(), "--out", ROOT.resolve("valid").toString());
        assertThat(ran.exit()).as(ran.out() + ran.err()).isZero();
        validResult = ROOT.resolve("valid/result.json");
    }

    @TestFactory
    Stream<DynamicTest> everyHostileFileEndsWithExitTwoOnOneLineWithinTwoSeconds() throws Exception {
        List<Hostile> all = new ArrayList<>();
        all.addAll(yamlStructure());
        all.addAll(size());
        all.addAll(values());
        all.addAll(strings());
        all.addAll(types());
        all.addAll(files());
        all.addAll(results());
        assertThat(all).hasSizeGreaterThanOrEqualTo(100);
        return all.stream().map(h -> DynamicTest.dynamicTest(h.category() + "/" + h.name(), () -> check(h)));
    }

    private static final java.lang.management.ThreadMXBean THREADS =
        java.lang.management.ManagementFactory.getThreadMXBean();

    private void check(Hostile h) {
        int[] counts = tally.computeIfAbsent(h.category(), c -> new int[2]);
        counts[0]++;
        for (List<String> command : h.commands()) {
            String[] args = command.stream().map(a -> a.equals("FILE") ? h.file().toString() : a)
                .toArray(String[]::new);
            // A read that blocks (a pipe, a device) must fail this file, not hang the suite. The time to refuse is
            // the CPU time of the thread that refuses: a machine busy with other work must not fail the file.
            long[] cpu = new long[1];
            Cli ran = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                long start = THREADS.getCurrentThreadCpuTime();
                Cli c = Cli.run(args);
                cpu[0] = THREADS.getCurrentThreadCpuTime() - start;
                return c;
            }, what(args));
            Duration took = Duration.ofNanos(cpu[0]);
            String what = what(args);
            assertThat(ran.exit()).as("%s: exit code; stderr: %s", what, ran.err()).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(ran.err().lines().count()).as("%s: lines on stderr, the first: %s", what,
                ran.err().lines().findFirst().orElse("")).isEqualTo(h.lines());
            assertThat(ran.err()).as("%s: names the file", what).contains(h.file().toString());
            if (h.positioned()) {
                assertThat(ran.err()).as("%s: names the line and column", what)
                    .containsPattern("^" + java.util.regex.Pattern.quote(h.file().toString()) + ":\\d+:\\d+: ");
            }
            assertThat(ran.out()).as("%s: nothing on stdout", what).isEmpty();
            assertThat(took).as("%s: time to refuse", what).isLessThan(WITHIN);
        }
        counts[1]++;
    }

    private static String what(String[] args) {
        return String.join(" ", args);
    }

    @AfterAll
    void summary() throws IOException {
        StringBuilder md = new StringBuilder("| category | tried | clean |\n|---|---:|---:|\n");
        int[] total = new int[2];
        tally.forEach((category, c) -> {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d |%n", category, c[0], c[1]));
            total[0] += c[0];
            total[1] += c[1];
        });
        md.append(String.format(Locale.ROOT, "| all | %d | %d |%n", total[0], total[1]));
        Files.writeString(ROOT.resolve("summary.md"), md);
        System.out.print(md);
    }

    // ---- the categories ----------------------------------------------------------------------------------------

    /** What YAML itself allows: aliases, tags, nesting, documents, encodings. */
    private List<Hostile> yamlStructure() throws IOException {
        Cat c = new Cat("yaml-structure");
        StringBuilder lists = new StringBuilder("a: &a [x, x, x]\n");
        for (int i = 1; i < 16; i++) {
            String p = i == 1 ? "a" : "l" + (i - 1);
            lists.append("l").append(i).append(": &l").append(i).append(" [*").append(p).append(", *").append(p)
                .append(", *").append(p).append("]\n");
        }
        c.scenario("list-alias-bomb", lists.toString());
        StringBuilder laughs = new StringBuilder("a: &a {x: 1, y: 1}\n");
        for (int i = 1; i < 10; i++) {
            String p = i == 1 ? "a" : "m" + (i - 1);
            laughs.append("m").append(i).append(": &m").append(i).append(" {a: *").append(p).append(", b: *")
                .append(p).append("}\n");
        }
        c.scenario("mapping-alias-bomb", laughs.toString());
        c.scenario("merge-key-of-mapping", "base: &b {rate: 10/s, duration: 5s}\nload:\n  <<: *b\n");
        c.scenario("alias-of-service", "service: &s {replicas: 2}\nname: *s\n" + LOAD);
        c.scenario("undefined-alias", "name: *nowhere\n" + LOAD);
        c.scenario("recursive-anchor", "a: &a [*a]\n" + LOAD);
        c.scenario("deep-flow-lists", "name: " + "[".repeat(5000) + "]".repeat(5000) + "\n" + LOAD);
        c.scenario("deep-flow-mappings", "name: " + "{a: ".repeat(3000) + "1" + "}".repeat(3000) + "\n" + LOAD);
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            block.append(" ".repeat(i)).append("k:\n");
        }
        c.scenario("deep-block-mappings", block + LOAD);
        c.scenario("java-type-tag", "name: !!java.lang.ProcessBuilder [rm]\n" + LOAD);
        c.scenario("custom-tag", "name: !include /etc/passwd\n" + LOAD);
        c.scenario("binary-tag", "name: !!binary aGVsbG8=\n" + LOAD);
        c.scenario("set-tag", "name: !!set {a, b}\n" + LOAD);
        c.scenario("two-documents", LOAD + "---\n" + LOAD);
        c.scenario("document-end-then-more", LOAD + "...\nname: x\n");
        c.scenario("complex-key", "? [a, b]\n: 1\n" + LOAD);
        c.scenario("null-key", "~: 1\n" + LOAD);
        c.scenario("unclosed-quote", "name: \"abc\n" + LOAD);
        c.scenario("unclosed-flow", "load: {rate: 10/s, duration: 5s\n");
        c.scenario("tab-indentation", "load:\n\trate: 10/s\n\tduration: 5s\n");
        c.bytes("nul-byte", ("name: a\0b\n" + LOAD).getBytes(StandardCharsets.UTF_8));
        c.wholeFile("invalid-utf8", concat("name: \"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3,
            (byte) 0x28, (byte) 0xFF}, ("\"\n" + LOAD).getBytes(StandardCharsets.UTF_8)));
        c.wholeFile("utf16-with-bom", concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
            ("name: x\n" + LOAD).getBytes(StandardCharsets.UTF_16LE)));
        c.scenario("top-level-scalar", "just a string\n");
        c.scenario("top-level-list", "- " + LOAD);
        c.scenario("only-comments", "# nothing here\n# at all\n");
        c.scenario("directive-yaml-2", "%YAML 2.0\n---\n" + LOAD);
        return c.all;
    }

    /** Sizes that cost time or memory: the file, a line, a key, the number of keys. */
    private List<Hostile> size() throws IOException {
        Cat c = new Cat("size");
        c.wholeFile("over-one-mebibyte-of-comments", (LOAD + ("#" + "x".repeat(99) + "\n").repeat(11_000))
            .getBytes(StandardCharsets.UTF_8));
        c.wholeFile("four-mebibyte-name", ("name: " + "n".repeat(4 << 20) + "\n" + LOAD)
            .getBytes(StandardCharsets.UTF_8));
        c.scenario("one-line-just-under-the-limit", "name: " + "n".repeat(1_000_000) + "\n" + LOAD);
        c.scenario("long-key", "k".repeat(500_000) + ": 1\n" + LOAD);
        StringBuilder keys = new StringBuilder(LOAD);
        for (int i = 0; i < 16_000; i++) {
            keys.append("k").append(i).append(": 1\n");
        }
        c.scenario("sixteen-thousand-unknown-keys", keys.toString(), 16_000);
        StringBuilder many = new StringBuilder(LOAD);
        for (int i = 0; i < 200_000; i++) {
            many.append("k").append(i).append(": 1\n");
        }
        c.wholeFile("two-hundred-thousand-keys", many.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder faults = new StringBuilder(LOAD + "faults:\n");
        for (int i = 0; i < 20_000; i++) {
            faults.append("  - {at: 1s, type: outage, duration: 1s, bogus: 1}\n");
        }
        c.scenario("twenty-thousand-faults", faults.toString(), 20_000);
        c.scenario("huge-list-of-statuses", "load: {rate: 10/s, duration: 5s, success: [" + "2xx, ".repeat(50_000)
            + "9xx]}\n");
        return c.all;
    }

    /** Numbers: overflow, out of range, not numbers, and settings that would starve the tool's own loops. */
    private List<Hostile> values() throws IOException {
        Cat c = new Cat("values");
        c.scenario("duration-overflowing-hours", "load: {rate: 10/s, duration: 99999999999999999999h}\n");
        c.scenario("duration-overflowing-ms", "load: {rate: 10/s, duration: 99999999999999999ms}\n");
        c.scenario("duration-negative", "load: {rate: 10/s, duration: -5s}\n");
        c.scenario("duration-beyond-a-day", "load: {rate: 10/s, duration: 25h}\n");
        c.scenario("duration-nan", "load: {rate: 10/s, duration: .nan}\n");
        c.scenario("rate-ten-to-the-twelfth", "load: {rate: 1000000000000/s, duration: 5s}\n");
        c.scenario("rate-infinite", "load: {rate: .inf, duration: 5s}\n");
        c.scenario("rate-nan", "load: {rate: .nan, duration: 5s}\n");
        c.scenario("rate-negative", "load: {rate: -10/s, duration: 5s}\n");
        c.scenario("rate-per-millisecond", "load: {rate: 10/ms, duration: 5s}\n");
        c.scenario("rate-1e309", "load: {rate: 1e309, duration: 5s}\n");
        c.scenario("ramps-summing-past-a-day", "load:\n  ramps:\n" + "    - {rate: 10/s, for: 24h}\n".repeat(40));
        c.scenario("replicas-beyond-int", "service: {replicas: 99999999999}\n" + LOAD);
        c.scenario("replicas-hex", "service: {replicas: 0x10}\n" + LOAD);
        c.scenario("replicas-fraction", "service: {replicas: 2.5}\n" + LOAD);
        c.scenario("users-a-billion", "load: {rate: 10/s, duration: 5s, users: 1000000000}\n");
        c.scenario("connections-a-million", "load: {rate: 10/s, duration: 5s, connections: 1000000}\n");
        c.scenario("connections-zero", "load: {rate: 10/s, duration: 5s, connections: 0}\n");
        c.scenario("timeout-an-hour", "load: {rate: 10/s, duration: 5s, timeout: 1h}\n");
        c.scenario("timeout-zero", "load: {rate: 10/s, duration: 5s, timeout: 0}\n");
        c.scenario("probe-period-a-microsecond", "service: {readiness: {period: 1us}}\n" + LOAD);
        c.scenario("analysis-interval-a-microsecond", """
            service: {candidate: {version: v2}}
            strategy: {type: canary, steps: [{setWeight: 10}, {pause: 1s}]}
            analysis: {interval: 1us, rules: [{metric: errorRate, max: 0.01}]}
            load: {rate: 10/s, duration: 60s}
            """);
        c.scenario("fault-at-after-the-end", LOAD + "faults: [{at: 99999h, type: outage, duration: 1s}]\n");
        c.scenario("fault-duration-overflowing", LOAD + "faults: [{at: 1s, type: outage, duration: 9999999999h}]\n");
        c.scenario("share-above-one", LOAD + "faults: [{at: 1s, type: errors, share: 1.5, duration: 1s}]\n");
        c.scenario("share-percent-overflow", LOAD + "faults: [{at: 1s, type: errors, share: \"9999999999%\", "
            + "duration: 1s}]\n");
        c.scenario("target-port-99999", "load: {target: \"http://127.0.0.1:99999/\", rate: 10/s, duration: 5s}\n");
        c.scenario("outage-chance-one", "outage: {chance: 1}\n" + LOAD);
        c.scenario("repeat-a-billion", "repeat: 1000000000\n" + LOAD);
        c.scenario("repeat-zero", "repeat: 0\n" + LOAD);
        return c.all;
    }

    /** Text echoed back or sent on the wire: control characters, line breaks, non-ASCII, lengths. */
    private List<Hostile> strings() throws IOException {
        Cat c = new Cat("strings");
        c.scenario("name-with-newline-forging-a-line", "name: \"a\\nother.yaml:1:1: forged\"\n" + LOAD);
        c.scenario("name-with-terminal-escape", "name: \"\\e[31mred\"\n" + LOAD);
        c.scenario("name-with-right-to-left-override", "name: \"abc\\u202Egpj.exe\"\n" + LOAD);
        c.scenario("name-climbing-folders", "name: ../../etc\n" + LOAD);
        c.scenario("name-dot", "name: .\n" + LOAD);
        c.scenario("name-three-hundred-characters", "name: " + "n".repeat(300) + "\n" + LOAD);
        c.scenario("name-empty", "name: \"\"\n" + LOAD);
        c.scenario("version-with-crlf-header", "service: {stable: {version: \"v1\\r\\nX-Evil: 1\"}}\n" + LOAD);
        c.scenario("version-emoji", "service: {stable: {version: \"v-\uD83D\uDE80\"}}\n" + LOAD);
        c.scenario("version-with-space", "service: {stable: {version: \"v 1\"}}\n" + LOAD);
        c.scenario("version-sixty-four-characters", "service: {stable: {version: " + "v".repeat(64) + "}}\n" + LOAD);
        c.scenario("version-empty", "service: {stable: {version: \"\"}}\n" + LOAD);
        c.scenario("versions-same", "service: {stable: {version: v1}, candidate: {version: v1}}\n" + LOAD);
        c.scenario("readiness-path-with-space", "service: {readiness: {path: \"/health check\"}}\n" + LOAD);
        c.scenario("readiness-path-with-crlf", "service: {readiness: {path: \"/h\\r\\nX: 1\"}}\n" + LOAD);
        c.scenario("readiness-path-relative", "service: {readiness: {path: healthz}}\n" + LOAD);
        c.scenario("readiness-path-bad-escape", "service: {readiness: {path: \"/a%zz\"}}\n" + LOAD);
        c.scenario("version-header-with-colon", "load: {rate: 10/s, duration: 5s, versionHeader: \"X-V: 1\"}\n");
        c.scenario("version-header-with-crlf", "load: {rate: 10/s, duration: 5s, versionHeader: \"X\\r\\nY\"}\n");
        c.scenario("command-empty", "service: {command: \" \"}\n" + LOAD);
        c.scenario("target-not-http", "load: {target: \"file:///etc/passwd\", rate: 10/s, duration: 5s}\n");
        c.scenario("target-unparsable", "load: {target: \"http://[::1\", rate: 10/s, duration: 5s}\n");
        c.scenario("namespace-uppercase", "platform: kubernetes\nkubernetes: {namespace: Prod}\n" + LOAD);
        c.scenario("kubernetes-version-not-a-label", "platform: kubernetes\nservice: {stable: {version: "
            + "\"v1_\"}}\n" + LOAD);
        c.scenario("empty-key", "\"\": 1\n" + LOAD);
        c.scenario("unknown-key-with-escape", "\"\\e[2J\": 1\n" + LOAD);
        return c.all;
    }

    /** A value of the wrong kind in each section. */
    private List<Hostile> types() throws IOException {
        Cat c = new Cat("types");
        c.scenario("service-a-list", "service: []\n" + LOAD);
        c.scenario("load-null", "load: ~\n");
        c.scenario("load-a-string", "load: fast\n");
        c.scenario("rate-a-mapping", "load: {rate: {a: 1}, duration: 5s}\n");
        c.scenario("replicas-a-boolean", "service: {replicas: yes}\n" + LOAD);
        c.scenario("replicas-a-list", "service: {replicas: [1]}\n" + LOAD);
        c.scenario("success-a-mapping", "load: {rate: 10/s, duration: 5s, success: {a: 1}}\n");
        c.scenario("strategy-a-string", "service: {candidate: {version: v2}}\nstrategy: canary\n" + LOAD);
        c.scenario("strategy-type-a-list", "service: {candidate: {version: v2}}\nstrategy: {type: [canary]}\n"
            + LOAD);
        c.scenario("steps-a-string", "service: {candidate: {version: v2}}\nstrategy: {type: canary, steps: x}\n"
            + LOAD);
        c.scenario("faults-a-mapping", LOAD + "faults: {a: 1}\n");
        c.scenario("fault-a-string", LOAD + "faults: [outage]\n");
        c.scenario("gates-a-list", "gates: [errorRate]\n" + LOAD);
        c.scenario("gate-bound-a-string", "gates: {errorRate: {max: lots}}\n" + LOAD);
        c.scenario("numeric-top-level-key", "1: x\n" + LOAD);
        c.scenario("name-a-mapping", "name: {a: 1}\n" + LOAD);
        return c.all;
    }

    /** Paths that are not scenario files at all. */
    private List<Hostile> files() throws IOException, InterruptedException {
        Cat c = new Cat("files");
        c.path("dev-zero", Path.of("/dev/zero"));
        c.path("dev-null", Path.of("/dev/null"));
        c.path("dev-urandom", Path.of("/dev/urandom"));
        c.path("a-folder", Files.createDirectories(c.dir.resolve("a-folder.yaml")));
        Path fifo = c.dir.resolve("a-fifo.yaml");
        Files.deleteIfExists(fifo);
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        c.path("a-fifo", fifo);
        Path loop = c.dir.resolve("symlink-loop.yaml");
        Files.deleteIfExists(loop);
        c.path("symlink-loop", Files.createSymbolicLink(loop, loop.getFileName()));
        Path toZero = c.dir.resolve("symlink-to-dev-zero.yaml");
        Files.deleteIfExists(toZero);
        c.path("symlink-to-dev-zero", Files.createSymbolicLink(toZero, Path.of("/dev/zero")));
        c.path("missing", c.dir.resolve("missing.yaml"));
        c.path("proc-self-environ", Path.of("/proc/self/environ"));
        c.wholeFile("empty-file", new byte[0]);
        return c.all;
    }

    /** result.json files that are corrupt, foreign or of another format, through report and diff. */
    private List<Hostile> results() throws IOException, InterruptedException {
        Cat c = new Cat("result-files");
        String valid = Files.readString(validResult);
        c.result("empty", "");
        c.result("not-json", "this is not json");
        c.result("binary-garbage", new String(new byte[] {0, 1, 2, (byte) 0xFF, 3}, StandardCharsets.ISO_8859_1));
        c.result("truncated", valid.substring(0, valid.length() / 2));
        c.result("json-array", "[1, 2, 3]");
        c.result("json-null", "null");
        c.result("foreign-json", "{\"kind\": \"Deployment\", \"apiVersion\": \"apps/v1\"}");
        c.result("schema-version-1.9", valid.replaceFirst("\"schemaVersion\"\\s*:\\s*\\d+", "\"schemaVersion\": 1.9"));
        c.result("schema-version-99", valid.replaceFirst("\"schemaVersion\"\\s*:\\s*\\d+", "\"schemaVersion\": 99"));
        c.result("schema-version-a-string", valid.replaceFirst("\"schemaVersion\"\\s*:\\s*\\d+",
            "\"schemaVersion\": \"1\""));
        c.result("metrics-null", valid.replaceFirst("\"metrics\"\\s*:\\s*\\{", "\"metrics\": null, \"x\": {"));
        c.result("metrics-a-number", valid.replaceFirst("\"metrics\"\\s*:\\s*\\{", "\"metrics\": 7, \"x\": {"));
        c.result("deep-nesting", "[".repeat(100_000) + "]".repeat(100_000));
        c.result("huge-number", valid.replaceFirst("\"schemaVersion\"\\s*:\\s*\\d+",
            "\"schemaVersion\": 1" + "0".repeat(5000)));
        Path folder = Files.createDirectories(c.dir.resolve("result-a-folder"));
        Files.createDirectories(folder.resolve("result.json"));
        c.resultPath("result-json-a-folder", folder);
        c.resultPath("dev-zero", Path.of("/dev/zero"));
        Path fifo = Files.createDirectories(c.dir.resolve("a-fifo")).resolve("result.json");
        Files.deleteIfExists(fifo);
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        c.resultPath("result-json-a-fifo", fifo);
        return c.all;
    }

    // ---- writing the files ---------------------------------------------------------------------------------------

    /** One category's files, in {@code target/hostile-inputs/CATEGORY/}. */
    private final class Cat {
        final String name;
        final Path dir;
        final List<Hostile> all = new ArrayList<>();

        Cat(String name) throws IOException {
            this.name = name;
            this.dir = Files.createDirectories(ROOT.resolve(name));
        }

        void scenario(String file, String yaml) throws IOException {
            scenario(file, yaml, 1);
        }

        /** A file with more than one problem (each reported). */
        void scenario(String file, String yaml, int problems) throws IOException {
            path(file, Files.write(dir.resolve(file + ".yaml"), yaml.getBytes(StandardCharsets.UTF_8)), problems,
                true);
        }

        void bytes(String file, byte[] content) throws IOException {
            path(file, Files.write(dir.resolve(file + ".yaml"), content), 1, true);
        }

        /** A file refused as a whole, before it is parsed. */
        void wholeFile(String file, byte[] content) throws IOException {
            path(file, Files.write(dir.resolve(file + ".yaml"), content), 1, false);
        }

        void path(String file, Path path) {
            path(file, path, 1, false);
        }

        /** A scenario path: validated, and run (which must refuse it before anything starts). */
        void path(String file, Path path, int problems, boolean positioned) {
            Path out = ROOT.resolve("out").resolve(name).resolve(file);
            all.add(new Hostile(name, file, path, problems, positioned, List.of(List.of("validate", "FILE"),
                List.of("run", "FILE", "--out", out.toString()))));
        }

        void result(String file, String json) throws IOException {
            Path folder = Files.createDirectories(dir.resolve(file));
            Files.writeString(folder.resolve("result.json"), json, StandardCharsets.ISO_8859_1);
            resultPath(file, folder.resolve("result.json"));
        }

        /** A result path: re-rendered (report takes its folder) and compared against the valid run. */
        void resultPath(String file, Path path) {
            Function<Path, String> folder = p -> p.getFileName().toString().equals("result.json")
                ? p.getParent().toString() : p.toString();
            all.add(new Hostile(name, file, path, 1, false, List.of(List.of("report", folder.apply(path)),
                List.of("diff", validResult.toString(), "FILE"))));
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
