package dev.rolloutlab.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads scenario files (format v1) strictly: unknown keys, wrong types and impossible combinations are errors that
 * name the file, line, column and key, because a typo silently ignored would run, and measure, the wrong rollout.
 */
public final class ScenarioLoader {
    private ScenarioLoader() {
    }

    /** @throws ScenarioException listing every problem, one line each */
    public static Scenario load(Path file) {
        return load(file, List.of());
    }

    /**
     * @param sets {@code key.path=value} overrides (the CLI's {@code --set}), applied in order before binding; the
     *             value is read as YAML and list entries are addressed by index, e.g. {@code faults.0.at=20s}
     * @throws ScenarioException listing every problem, one line each
     */
    public static Scenario load(Path file, List<String> sets) {
        YamlDocument doc = YamlDocument.read(file);
        sets.forEach(doc::set);
        List<Problem> problems = new ArrayList<>();
        Scenario scenario = ScenarioBinder.bind(doc.root(), file, problems);
        if (scenario != null) {
            problems.addAll(ScenarioValidator.check(scenario, doc.root()));
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(doc.format(problems));
        }
        return scenario;
    }

    /**
     * The document {@link #load(Path, List)} binds, after the overrides: what result.json records as the run's
     * input. Read again rather than kept on the {@link Scenario}, which holds the bound values only.
     */
    public static JsonNode effectiveDocument(Path file, List<String> sets) {
        YamlDocument doc = YamlDocument.read(file);
        sets.forEach(doc::set);
        return doc.root();
    }
}
