package dev.rolloutlab.result;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a run was asked to do, so that two runs of one file with different settings can be told apart (and
 * {@code diff} can say what differed in the input).
 *
 * @param file        the scenario file, as given
 * @param commandLine the command line that started the run, {@code rollout-lab} first
 * @param scenario    the scenario document after the command line's {@code --set} overrides, as written (defaults
 *                    not filled in)
 */
public record RunInput(String file, List<String> commandLine, JsonNode scenario) {
    public RunInput {
        commandLine = commandLine == null ? List.of() : List.copyOf(commandLine);
    }
}
