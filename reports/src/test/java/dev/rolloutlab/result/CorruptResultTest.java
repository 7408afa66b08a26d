package dev.rolloutlab.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rolloutlab.reports.CompareTable;
import dev.rolloutlab.reports.JUnitXml;
import dev.rolloutlab.reports.RunDiff;
import dev.rolloutlab.reports.SummaryMarkdown;
import dev.rolloutlab.reports.html.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every corruption of a result.json — each field removed, set to null, or given a value of the wrong kind — is either
 * refused on reading, on one line naming the file and the field, or read into a result every renderer renders: never
 * an exception from deep inside a renderer.
 */
class CorruptResultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyCorruptionIsRefusedOnOneLineOrRendered() throws Exception {
        JsonNode valid = JSON.readTree(ResultJson.toJson(new TestRuns().build()));
        List<String> paths = new ArrayList<>();
        collect(valid, "", paths);
        List<String> broken = new ArrayList<>();
        int tries = 0;
        for (String path : paths) {
            for (Mutation m : Mutation.values()) {
                JsonNode copy = valid.deepCopy();
                if (!m.apply(copy, path)) {
                    continue;
                }
                tries++;
                Path file = dir.resolve("result-" + tries + ".json");
                Files.writeString(file, JSON.writeValueAsString(copy));
                String outcome = check(file);
                if (outcome != null) {
                    broken.add(m + " " + path + ": " + outcome);
                }
            }
        }
        assertThat(tries).isGreaterThan(200);
        assertThat(broken).isEmpty();
    }

    @Test
    void theMessageNamesTheFieldAndWhatItShouldHold() throws Exception {
        ObjectNode valid = (ObjectNode) JSON.readTree(ResultJson.toJson(new TestRuns().build()));
        assertThat(refusal(valid.deepCopy().putNull("metrics"))).endsWith(": metrics is missing or null");
        assertThat(refusal(valid.deepCopy().put("metrics", 7))).endsWith(": metrics is not an object");
        assertThat(refusal(valid.deepCopy().put("timeline", "none"))).endsWith(": timeline is not an object or a list");
        ObjectNode badPoint = valid.deepCopy();
        ((ObjectNode) badPoint.get("timeline").get(0)).put("requests", "many");
        assertThat(refusal(badPoint)).endsWith(": timeline[0].requests is not a whole number");
        assertThat(refusal(valid.deepCopy().put("schemaVersion", 1.9)))
            .endsWith(": schemaVersion 1.9 is not supported (this rollout-lab reads schemaVersion 1)");
        ObjectNode foreign = JSON.createObjectNode().put("schemaVersion", 1).put("name", "package.json");
        assertThat(refusal(foreign)).endsWith(": scenario is missing or null");
    }

    @Test
    void aFolderOrADeviceIsNotRead() {
        assertThatRefused(dir, dir + ": not a regular file");
        assertThatRefused(Path.of("/dev/zero"), "/dev/zero: not a regular file");
    }

    private static void assertThatRefused(Path file, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ResultJson.read(file))
            .isInstanceOf(ResultFormatException.class).hasMessage(message);
    }

    private String refusal(JsonNode json) throws Exception {
        Path file = Files.writeString(dir.resolve("r.json"), JSON.writeValueAsString(json));
        try {
            ResultJson.read(file);
        } catch (ResultFormatException e) {
            assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("read " + json);
    }

    /** Null when the file is refused cleanly or renders; what went wrong otherwise. */
    private static String check(Path file) {
        RunResult r;
        try {
            r = ResultJson.read(file);
        } catch (ResultFormatException refused) {
            String message = refused.getMessage();
            if (message.contains("\n") || !message.startsWith(file.toString()) || message.contains("java.")
                || message.contains("dev.rolloutlab") || message.contains("line -1")) {
                return "refused badly: " + message;
            }
            return null;
        } catch (RuntimeException e) {
            return "reading threw " + e;
        }
        List<Consumer<RunResult>> renderers = List.of(SummaryMarkdown::render, HtmlReport::run, JUnitXml::render,
            x -> new CompareTable(List.of(x, x)).markdown(), x -> HtmlReport.compare(List.of(x, x)),
            x -> new RunDiff(x, x, List.of()).markdown());
        for (Consumer<RunResult> render : renderers) {
            try {
                render.accept(r);
            } catch (RuntimeException e) {
                StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
                return "read, then a renderer threw " + e + " at " + at;
            }
        }
        return null;
    }

    private static void collect(JsonNode node, String path, List<String> out) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(name -> {
                out.add(path + "/" + name);
                collect(o.get(name), path + "/" + name, out);
            });
        } else if (node instanceof ArrayNode a && !a.isEmpty()) {
            out.add(path + "/0");
            collect(a.get(0), path + "/0", out);
        }
    }

    private enum Mutation {
        REMOVE, NULL, TEXT, EMPTY_OBJECT;

        boolean apply(JsonNode root, String path) {
            int cut = path.lastIndexOf('/');
            JsonNode parent = cut == 0 ? root : root.at(path.substring(0, cut));
            String name = path.substring(cut + 1);
            if (!(parent instanceof ContainerNode<?>)) {
                return false;
            }
            JsonNode value = switch (this) {
                case REMOVE -> null;
                case NULL -> JSON.nullNode();
                case TEXT -> new TextNode("x");
                case EMPTY_OBJECT -> JSON.createObjectNode();
            };
            if (parent instanceof ObjectNode o) {
                if (value == null) {
                    o.remove(name);
                } else {
                    o.set(name, value);
                }
            } else {
                ArrayNode a = (ArrayNode) parent;
                int i = Integer.parseInt(name);
                if (value == null) {
                    a.remove(i);
                } else {
                    a.set(i, value);
                }
            }
            return true;
        }
    }
}
