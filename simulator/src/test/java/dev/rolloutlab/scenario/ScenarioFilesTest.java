package dev.rolloutlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The ready scenario files the repository ships under {@code scenarios/} must all validate. */
class ScenarioFilesTest {
    private static final Path SCENARIOS = Path.of("..", "scenarios");

    @Test
    void everyShippedScenarioValidates() throws IOException {
        // Asserted, not assumed: walking a wrong folder would pass by finding nothing.
        assertThat(SCENARIOS.resolve("pom.xml")).as("the walk starts at the repository's scenarios module").isRegularFile();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SCENARIOS)) {
            files = walk.filter(f -> f.toString().endsWith(".yaml") && !f.startsWith(SCENARIOS.resolve("target")))
                .sorted().toList();
        }
        assumeFalse(files.isEmpty(), "no scenario files under " + SCENARIOS + " yet");

        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                ScenarioLoader.load(file);
            } catch (ScenarioException e) {
                problems.addAll(e.errors());
            }
        }
        assertThat(problems).as("problems in the %d shipped scenario files", files.size()).isEmpty();
    }
}
