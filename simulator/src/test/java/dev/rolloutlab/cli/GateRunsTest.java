package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gates as a CI pipeline meets them, through the command line: outcome, missing values, abortOnFail, folders. */
class GateRunsTest {
    /**
     * The scenarios here check gates and files, not the service: a JIT-cold JVM without warm-up on a shared machine
     * may not send every request on time, which these tolerate (load.maxSendLag, load.maxGeneratorLimited) rather
     * than end invalid.
     */
    @TempDir
    Path dir;

    @Test
    void anOutcomeGateAndAMissingValueFailWithTheirReasonsAndTheInputIsRecorded() throws Exception {
        Path scenario = Files.writeString(dir.resolve("gated.yaml"), """
            name: gated
            service: { replicas: 1 }
            load: { rate: 100/s, duration: 1s, warmup: 0s, maxSendLag: 1s, maxGeneratorLimited: 50% }
            gates:
              outcome: { in: [completed] }
              rollbackSeconds: { max: 1 }
              detectionSeconds: { max: 1, ifMissing: pass }
            """);
        Path out = dir.resolve("out");

        Cli ran = Cli.run("run", scenario.toString(), "--out", out.toString(), "--set", "load.rate=50/s");

        assertThat(ran.exit()).as(ran.out() + ran.err()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(ran.out()).containsPattern("gate +outcome +completed \\(in completed\\)  passed")
            .containsPattern("gate +rollbackSeconds +n/a \\(max 1\\)  FAILED: no value because load-only run: "
                + "nothing was rolled out")
            .contains("passed: no value because load-only run: nothing was rolled out (ifMissing: pass)");
        RunResult r = ResultJson.read(out.resolve("result.json"));
        assertThat(r.gates()).extracting(GateResult::metric, GateResult::passed).containsExactly(
            tuple("outcome", true),
            tuple("rollbackSeconds", false),
            tuple("detectionSeconds", true));
        assertThat(r.metrics().requests()).isEqualTo(50);
        assertThat(r.input().file()).isEqualTo(scenario.toString());
        assertThat(r.input().commandLine()).containsExactly("rollout-lab", "run", scenario.toString(), "--out",
            out.toString(), "--set", "load.rate=50/s");
        assertThat(r.input().scenario().at("/load/rate").asText()).isEqualTo("50/s");
        assertThat(r.input().scenario().at("/gates/outcome/in/0").asText()).isEqualTo("completed");
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("type=\"NoValue\"")
            .contains("rollbackSeconds n/a: no value because load-only run: nothing was rolled out");
        assertThat(Files.readString(out.resolve("summary.md")))
            .contains("| rollbackSeconds | max 1 | n/a | ❌ failed: no value because load-only run: nothing was "
                + "rolled out |");

        Cli again = Cli.run("run", scenario.toString(), "--out", out.toString());
        assertThat(again.err()).contains(out + " holds a run of gated started " + r.startedAt()
            + "; its files are replaced");
    }

    /**
     * Half the requests fail and the gate allows a tenth, abortOnFail: the run stops about a second in (the first
     * judged second) rather than after its 20 s, exits 1, and says which gate stopped it, when and on what value.
     */
    @Test
    void aGateWithAbortOnFailStopsTheRunEarlyAndWritesThePartialResult() throws Exception {
        Path scenario = Files.writeString(dir.resolve("aborting.yaml"), """
            name: aborting
            service: { replicas: 2, stable: { version: v1, behavior: { errorRate: 0.5 } } }
            load: { rate: 200/s, duration: 20s, warmup: 0s, maxSendLag: 1s, maxGeneratorLimited: 50% }
            gates:
              errorRate: { max: 0.1, abortOnFail: true }
              downtimeSeconds: { max: 5 }
            """);
        Path out = dir.resolve("aborting");

        long started = System.nanoTime();
        Cli ran = Cli.run("run", scenario.toString(), "--out", out.toString());
        double tookSeconds = (System.nanoTime() - started) / 1e9;

        assertThat(ran.exit()).as(ran.out() + ran.err()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(tookSeconds).isLessThan(15);
        assertThat(ran.out()).contains("gate errorRate breached at").contains("aborting: aborted-by-gate");
        RunResult r = ResultJson.read(out.resolve("result.json"));
        assertThat(r.outcome()).isEqualTo("aborted-by-gate");
        Event breach = r.events().stream().filter(e -> e.is(EventType.GATE_ABORT)).findFirst().orElseThrow();
        assertThat(breach.t()).isBetween(1.0, 1.0 + 2 * 0.25 + 1.0); // first judged second, two periods, a loaded machine
        assertThat(breach.detail()).containsEntry("metric", "errorRate").containsEntry("max", 0.1);
        assertThat(r.events().get(r.events().size() - 1).t()).isLessThan(5);
        assertThat(r.metrics().errorRate()).isCloseTo(0.5, within(0.15));
        GateResult errorRate = r.gates().get(0);
        assertThat(errorRate.passed()).isFalse();
        assertThat(errorRate.abortedAt()).as("judged, then logged on the same loop").isCloseTo(breach.t(), within(0.05));
        assertThat(errorRate.reason()).startsWith("abortOnFail: stopped the run at");
        assertThat(r.gates().get(1).abortedAt()).isNull();
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("type=\"GateAbortedRun\"");
        assertThat(Files.readString(out.resolve("summary.md"))).contains("❌ failed, **stopped the run**")
            .contains("| gate-abort |");
    }

    @Test
    void compareWritesOneJUnitFileWithASuitePerRun() throws Exception {
        Path a = Files.writeString(dir.resolve("first.yaml"), """
            name: first
            service: { replicas: 1 }
            load: { rate: 50/s, duration: 1s, warmup: 0s, maxSendLag: 1s, maxGeneratorLimited: 50% }
            gates:
              errorRate: { max: 0 }
            """);
        Path b = Files.writeString(dir.resolve("second.yaml"), """
            name: second
            service: { replicas: 1 }
            load: { rate: 50/s, duration: 1s, warmup: 0s, maxSendLag: 1s, maxGeneratorLimited: 50% }
            gates:
              rollbackSeconds: { max: 1 }
            """);
        Path out = dir.resolve("compare");

        Cli ran = Cli.run("compare", a.toString(), b.toString(), "--out", out.toString());

        assertThat(ran.exit()).as(ran.out() + ran.err()).isEqualTo(Main.EXIT_GATE_FAILED);
        String junit = Files.readString(out.resolve("junit.xml"));
        assertThat(junit).contains("<testsuite name=\"first\" tests=\"1\" failures=\"0\"",
            "<testsuite name=\"second\" tests=\"1\" failures=\"1\"", "no value because load-only run");
        assertThat(ran.out()).contains("wrote " + out.resolve("junit.xml"));
        RunResult second = ResultJson.read(out.resolve("second/result.json"));
        assertThat(second.input().commandLine()).startsWith("rollout-lab", "compare");
        assertThat(second.input().file()).isEqualTo(b.toString());
    }

    /**
     * Without --out each run gets a folder named by its start time and {@code latest} points at the newest, so a
     * second run does not replace the first; {@code report} of the scenario's folder re-renders the latest. Run as
     * the launcher runs it, in a working directory of its own.
     */
    @Test
    void runsWithoutOutGetATimestampedFolderEachAndLatestPointsAtTheNewest() throws Exception {
        Path scenario = Files.writeString(dir.resolve("twice.yaml"), """
            name: twice
            service: { replicas: 1 }
            load: { rate: 50/s, duration: 1s, warmup: 0s, maxSendLag: 1s, maxGeneratorLimited: 50% }
            """); // a JIT-cold JVM without warm-up: what is measured here is where the files go
        String first = cli("run", scenario.toString());
        Thread.sleep(1100); // another second: another folder name (a suffix would do too)
        String second = cli("run", scenario.toString());

        Path parent = dir.resolve("reports/out/twice");
        List<Path> runs;
        try (Stream<Path> children = Files.list(parent)) {
            runs = children.filter(p -> !p.getFileName().toString().equals("latest")).sorted().toList();
        }
        assertThat(runs).hasSize(2).allSatisfy(p -> assertThat(p.resolve("result.json")).exists());
        assertThat(runs.get(0).getFileName().toString()).matches("\\d{8}T\\d{6}Z");
        assertThat(first).contains("output " + Path.of("reports/out/twice").resolve(runs.get(0).getFileName()));
        assertThat(second).contains("output " + Path.of("reports/out/twice").resolve(runs.get(1).getFileName()));
        Path latest = parent.resolve("latest");
        assertThat(Files.isSymbolicLink(latest)).isTrue();
        assertThat(latest.toRealPath()).isEqualTo(runs.get(1).toRealPath());
        JsonNode json = new ObjectMapper().readTree(latest.resolve("result.json").toFile());
        assertThat(json.get("scenario").asText()).isEqualTo("twice");

        String report = cli("report", "reports/out/twice");
        assertThat(report).contains("wrote reports/out/twice/latest/summary.md");
    }

    /** {@code rollout-lab ARGS} in its own process with {@link #dir} as the working directory; its output. */
    private String cli(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
            Main.class.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "cli", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
