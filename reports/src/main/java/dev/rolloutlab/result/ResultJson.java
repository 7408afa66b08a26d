package dev.rolloutlab.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** The JSON conventions of every file rollout-lab writes: ISO times, indented, later minor fields read past. */
    public static ObjectMapper mapper() {
        return MAPPER;
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

    /**
     * Fields a result must have, as JSON pointers ({@code *} for every element of a list): without them no report can
     * be rendered, so a file missing one is refused naming it rather than failing deep inside a renderer.
     */
    private static final List<String> REQUIRED = List.of("/scenario", "/strategy", "/platform", "/outcome",
        "/metrics", "/metrics/requests", "/metrics/failedRequests", "/metrics/errorRate", "/metrics/downtimeSeconds",
        "/metrics/longestOutageSeconds", "/metrics/degradedSeconds", "/metrics/latencyMs", "/metrics/requestsByVersion",
        "/metrics/requestsByVersion/*", "/timeline/*/byVersion/*",
        "/generator", "/events", "/events/*/t", "/events/*/type", "/timeline", "/timeline/*/t",
        "/timeline/*/requests", "/timeline/*/failed", "/timeline/*/byVersion", "/gates", "/gates/*/metric",
        "/gates/*/passed");
    /** Optional parts that, when present, must be whole: the claims {@code compare} prints. */
    private static final List<String> REQUIRED_WHEN_PRESENT = List.of("/claims/source", "/claims/approach",
        "/claims/downtime", "/claims/rollback", "/claims/overhead");
    /** What a strategy run always has: blast radius is null only for a load-only run ({@code strategy: none}). */
    private static final List<String> REQUIRED_WITH_A_STRATEGY = List.of("/metrics/blastRadius");

    /**
     * @throws ResultFormatException on one line naming the file and, where one is at fault, the field: when the file
     *                               is missing, not JSON, of another schema version, or misses or mistypes a field
     */
    public static RunResult read(Path file) {
        JsonNode tree = readTree(file);
        JsonNode version = tree == null ? null : tree.get("schemaVersion");
        if (version == null || !version.isNumber()) {
            throw new ResultFormatException(file + ": no schemaVersion; not a rollout-lab result.json");
        }
        if (!version.isIntegralNumber() || version.intValue() != RunResult.SCHEMA_VERSION) {
            throw new ResultFormatException(file + ": schemaVersion " + version.asText() + " is not supported (this "
                + "rollout-lab reads schemaVersion " + RunResult.SCHEMA_VERSION + ")");
        }
        List<String> required = new ArrayList<>(REQUIRED);
        if (!"none".equals(tree.path("strategy").asText("none"))) {
            required.addAll(REQUIRED_WITH_A_STRATEGY);
        }
        for (String pointer : REQUIRED_WHEN_PRESENT) {
            String parent = pointer.substring(0, pointer.lastIndexOf('/'));
            if (!tree.at(parent).isMissingNode() && !tree.at(parent).isNull()) {
                required.add(pointer);
            }
        }
        for (String pointer : required) {
            String missing = missing(tree, pointer.substring(1).split("/"), 0, "");
            if (missing != null) {
                throw new ResultFormatException(file + ": " + missing);
            }
        }
        try {
            return MAPPER.treeToValue(tree, RunResult.class);
        } catch (JsonMappingException e) {
            throw new ResultFormatException(file + ": " + field(e) + " is not " + expected(e));
        } catch (JsonProcessingException e) {
            throw new ResultFormatException(file + ": " + oneLine(e));
        }
    }

    /**
     * The JSON of a file rollout-lab wrote (a result.json, a repeat.json), or null for an empty one.
     *
     * @throws ResultFormatException when it is missing, not a regular file, or not JSON
     */
    public static JsonNode readTree(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A folder, a device or a pipe: reading it could fail oddly, or never end.
            throw new ResultFormatException(file + ": not a regular file");
        }
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ResultFormatException(file + ": " + (Files.exists(file) ? "not valid JSON: " + oneLine(e)
                : "no such file"));
        }
    }

    /**
     * What is wrong with the first field along {@code path} (from {@code step}) that is absent, null, or not the
     * object or list the path goes on into, e.g. {@code "metrics.requests is missing or null"}; null when none is.
     */
    private static String missing(JsonNode node, String[] path, int step, String name) {
        if (step == path.length) {
            return null;
        }
        if (path[step].equals("*")) {
            if (!node.isContainerNode()) {
                return name + " is not an object or a list";
            }
            if (node.isObject()) {
                for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
                    if (field.getValue().isNull()) {
                        return name + "." + field.getKey() + " is missing or null";
                    }
                    String m = missing(field.getValue(), path, step + 1, name + "." + field.getKey());
                    if (m != null) {
                        return m;
                    }
                }
                return null;
            }
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isNull()) {
                    return name + "[" + i + "] is missing or null";
                }
                String m = missing(node.get(i), path, step + 1, name + "[" + i + "]");
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        String here = name.isEmpty() ? path[step] : name + "." + path[step];
        if (!node.isObject()) {
            return (name.isEmpty() ? "the file" : name) + " is not an object";
        }
        JsonNode child = node.get(path[step]);
        if (child == null || child.isNull()) {
            return here + " is missing or null";
        }
        return missing(child, path, step + 1, here);
    }

    /** Where a value that does not fit is, as a dotted name with list indexes, e.g. {@code timeline[3].requests}. */
    private static String field(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.isEmpty() ? "the file" : b.toString();
    }

    /** What a field should have held, in the words of JSON rather than of Java. */
    private static String expected(JsonMappingException e) {
        Class<?> type = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (type == null) {
            return "a valid value";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == java.time.Instant.class) {
            return "a time such as 2026-11-29T10:00:00Z";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }
}
