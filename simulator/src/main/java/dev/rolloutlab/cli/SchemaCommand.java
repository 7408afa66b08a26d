package dev.rolloutlab.cli;

import dev.rolloutlab.scenario.ScenarioSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code rollout-lab schema}: the JSON Schema of the scenario format, generated from the code that reads scenarios,
 * for editors and for checking files in other tools. The repository publishes the same text; a test fails when the
 * published file is not what this prints.
 */
@Command(name = "schema", description = {"Prints the JSON Schema of the scenario format.",
    "It is generated from the code that reads scenarios, so it has exactly the keys and value formats that run and "
        + "validate accept; validate also checks what a schema cannot (ranges that depend on other keys).",
    "The repository publishes it as " + ScenarioSchema.PUBLISHED + " (regenerate it with: rollout-lab schema > "
        + ScenarioSchema.PUBLISHED + "), and each bundled scenario points its editor at it with a first line such "
        + "as: " + ScenarioSchema.MODELINE + "../../" + ScenarioSchema.PUBLISHED + " (for yaml-language-server).",
    "Exit codes: 0 printed."})
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ScenarioSchema.json());
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
