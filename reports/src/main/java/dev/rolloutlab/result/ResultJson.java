package dev.rolloutlab.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes {@code result.json}. Readers of another schema version get a clear error, not a guess. */
public final class ResultJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        // Later minor versions may add fields; this reader keeps working on them.
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();

    private ResultJson() {
    }

    public static String toJson(RunResult result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result not serialisable", e);
        }
    }

    /** Writes atomically, so a reader never sees half a file even when the run is interrupted. */
    public static void write(RunResult result, Path file) {
        OutputFile.writeAtomically(file, toJson(result) + "\n");
    }

    /** Jackson's message with its location, on one line: error messages of this tool are one line each. */
    private static String oneLine(IOException e) {
        String what = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        String where = e instanceof JsonProcessingException j && j.getLocation() != null
            ? " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")" : "";
        return what.replaceAll("\\s*\\R\\s*", " ") + where;
    }

    /** @throws ResultFormatException when the file is missing, not JSON, or of another schema version */
    public static RunResult read(Path file) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ResultFormatException(file + ": " + (Files.exists(file) ? "not valid JSON: " + oneLine(e)
                : "no such file"));
        }
        JsonNode version = tree == null ? null : tree.get("schemaVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new ResultFormatException(file + ": no schemaVersion; not a rollout-lab result.json");
        }
        if (version.intValue() != RunResult.SCHEMA_VERSION) {
            throw new ResultFormatException(file + ": schemaVersion " + version.intValue() + " is not supported (this "
                + "rollout-lab reads schemaVersion " + RunResult.SCHEMA_VERSION + ")");
        }
        try {
            return MAPPER.treeToValue(tree, RunResult.class);
        } catch (JsonProcessingException e) {
            throw new ResultFormatException(file + ": " + oneLine(e));
        }
    }
}
