package dev.rolloutlab.engine;

import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/** Runs a scenario given as YAML text through the whole engine, as {@code rollout-lab run} would. */
public final class ScenarioRuns {
    /**
     * Runs of a scenario before its measurement counts as impossible here: a loaded test machine can stall the
     * generator past its bounds, and the run then says it is invalid rather than measuring; it is repeated, as a
     * user would repeat it.
     */
    private static final int ATTEMPTS = 3;

    private ScenarioRuns() {
    }

    /** The first valid run of the scenario, or the last invalid one after {@value #ATTEMPTS} attempts. */
    public static RunResult run(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, yaml);
        Scenario scenario = ScenarioLoader.load(file);
        return untilValid(() -> new Run(scenario, Duration.ofSeconds(30), p -> { }).execute());
    }

    /** The first valid result of {@code run}, or the last invalid one after {@value #ATTEMPTS} attempts. */
    public static RunResult untilValid(Supplier<RunResult> run) {
        RunResult r = run.get();
        for (int i = 1; i < ATTEMPTS && Run.INVALID.equals(r.outcome()); i++) {
            System.err.println("ScenarioRuns: run invalid (" + r.generator().invalidReason() + "), again");
            r = run.get();
        }
        return r;
    }
}
