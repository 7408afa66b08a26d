package dev.rolloutlab.cli;

import dev.rolloutlab.engine.Run;
import dev.rolloutlab.engine.RunFailure;
import dev.rolloutlab.reports.ResultJson;
import dev.rolloutlab.reports.RunResult;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioException;
import dev.rolloutlab.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", description = {"Runs one scenario and writes result.json into the output folder.",
    "Exit codes: 0 gates passed, 1 a gate failed, 2 bad input, 3 the run failed, 130 interrupted."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "the scenario file")
    Path file;

    @Option(names = "--platform", paramLabel = "local|kubernetes", description = "overrides the scenario's platform")
    String platform;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default reports/out/<scenario>/)")
    Path out;

    @Option(names = "--set", paramLabel = "key=value", description = "overrides a scenario key, e.g. load.rate=500/s")
    List<String> sets = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Scenario scenario;
        try {
            List<String> overrides = new ArrayList<>(sets);
            if (platform != null) {
                overrides.add("platform=" + platform);
            }
            scenario = ScenarioLoader.load(file, overrides);
        } catch (ScenarioException e) {
            stderr.println(e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        List<String> unsupported = Run.unsupported(scenario);
        if (!unsupported.isEmpty()) {
            unsupported.forEach(u -> stderr.println(file + ": " + u));
            return Main.EXIT_BAD_INPUT;
        }
        Path dir = out != null ? out : Path.of("reports", "out", scenario.name());
        boolean tty = System.console() != null;
        Run run = new Run(scenario, tty ? Duration.ofSeconds(1) : Duration.ofSeconds(10),
            p -> stdout.println(Console.progressLine(p)));
        stdout.println(Console.header(scenario, dir));
        stdout.flush();

        CountDownLatch written = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            // Ctrl-C or SIGTERM: stop the load, let the main thread write what was measured, then exit 130.
            run.abort();
            try {
                written.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            stdout.flush();
            stderr.flush();
            Runtime.getRuntime().halt(Main.EXIT_INTERRUPTED);
        }, "rollout-lab-abort");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            RunResult result = run.execute();
            ResultJson.write(result, dir.resolve("result.json"));
            stdout.print(Console.summary(result, dir));
            stdout.flush();
            if ("aborted".equals(result.outcome())) {
                return Main.EXIT_INTERRUPTED;
            }
            return result.gatesPassed() ? Main.EXIT_OK : Main.EXIT_GATE_FAILED;
        } catch (RunFailure e) {
            stderr.println("rollout-lab: run failed: " + e.getMessage());
            return Main.EXIT_RUN_FAILED;
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running; it exits once this thread is done.
            }
        }
    }
}
