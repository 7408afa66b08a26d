package dev.rolloutlab.cli;

import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioException;
import dev.rolloutlab.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rollout-lab validate}: checks scenario files without running anything, so a CI pipeline or an editor can
 * reject a broken file in a second instead of after a failed run. Every file is checked, even after a bad one.
 */
@Command(name = "validate", description = {"Checks scenario files without running them.",
    "Exit codes: 0 all valid, 2 a file has problems (each printed as FILE:LINE:COL: KEY: what is wrong)."})
public final class ValidateCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SCENARIO.yaml", description = "the scenario files")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allValid = true;
        for (Path file : files) {
            try {
                Scenario s = ScenarioLoader.load(file);
                out.printf("ok  %s  (%s, %s, %d fault%s, duration %s)%n", file, s.name(),
                    s.loadOnly() ? "load-only" : "strategy " + s.strategy().type().yamlName(), s.faults().size(),
                    s.faults().size() == 1 ? "" : "s", Durations.format(s.load().duration()));
            } catch (ScenarioException e) {
                err.println(e.getMessage());
                allValid = false;
            }
        }
        out.flush();
        err.flush();
        return allValid ? Main.EXIT_OK : Main.EXIT_BAD_INPUT;
    }
}
