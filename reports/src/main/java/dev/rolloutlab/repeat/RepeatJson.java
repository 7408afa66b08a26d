package dev.rolloutlab.repeat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutlab.result.OutputFile;
import dev.rolloutlab.result.ResultFormatException;
import dev.rolloutlab.result.ResultJson;
import java.nio.file.Path;

/** Reads and writes {@code repeat.json}, with the conventions of result.json: added fields are read past. */
public final class RepeatJson {
    private static final ObjectMapper MAPPER = ResultJson.mapper();

    private RepeatJson() {
    }

    public static void write(RepeatSummary summary, Path file) {
        try {
            OutputFile.writeAtomically(file, MAPPER.writeValueAsString(summary) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("repeat summary not serialisable", e);
        }
    }

    /** Whether the file is a repeat summary rather than a result.json: its {@code kind}. */
    public static boolean isRepeat(Path file) {
        try {
            JsonNode tree = ResultJson.readTree(file);
            return tree != null && RepeatSummary.KIND.equals(tree.path("kind").asText());
        } catch (ResultFormatException e) {
            return false;
        }
    }

    /** @throws ResultFormatException naming the file when it is missing, not JSON, or not a repeat summary */
    public static RepeatSummary read(Path file) {
        JsonNode tree = ResultJson.readTree(file);
        if (tree == null || tree.get("kind") == null || !RepeatSummary.KIND.equals(tree.get("kind").asText())) {
            throw new ResultFormatException(file + ": no \"kind\": \"repeat\"; not a rollout-lab repeat.json");
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || version.asInt() != RepeatSummary.SCHEMA_VERSION) {
            throw new ResultFormatException(file + ": schemaVersion " + version + " is not supported (this "
                + "rollout-lab reads repeat.json schemaVersion " + RepeatSummary.SCHEMA_VERSION + ")");
        }
        try {
            return MAPPER.treeToValue(tree, RepeatSummary.class);
        } catch (JsonProcessingException e) {
            throw new ResultFormatException(file + ": " + e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " "));
        }
    }
}
