package dev.rolloutlab.engine;

import dev.rolloutlab.reports.RunResult;
import dev.rolloutlab.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Runs a scenario given as YAML text through the whole engine, as {@code rollout-lab run} would. */
public final class ScenarioRuns {
    private ScenarioRuns() {
    }

    public static RunResult run(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, yaml);
        return new Run(ScenarioLoader.load(file), Duration.ofSeconds(30), p -> { }).execute();
    }
}
