package dev.rolloutlab.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A scenario file as a Jackson tree that remembers where each key and value was written. SnakeYAML composes the
 * document because its nodes carry the marks of keys as well as values (Jackson's YAML parser locates only values);
 * {@code --set} overrides edit the tree before it is bound, and remember that they did, so every later problem still
 * points at the line, or the option, it comes from.
 */
final class YamlDocument {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Where a key and its value were written: marks in the file, or the {@code --set} option that wrote them. */
    private record Where(Mark key, Mark value, String option) {
    }

    /** A scenario file's size limit: the largest bundled one is a few kilobytes; reading more would only cost time. */
    static final long MAX_BYTES = 1 << 20;

    private final Path file;
    private final Map<KeyPath, Where> where = new HashMap<>();
    private final List<String> errors = new ArrayList<>();
    private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Mappings and lists converted so far: one met again is an alias of it, which could expand exponentially. */
    private final Set<Node> collections = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean aliasReported;
    private ObjectNode root;

    private YamlDocument(Path file) {
        this.file = file;
    }

    /** @throws ScenarioException when the file is missing, is not YAML, or is not a mapping with unique keys */
    static YamlDocument read(Path file) {
        YamlDocument doc = new YamlDocument(file);
        Node node = doc.compose(doc.text(), null);
        if (node == null) {
            throw new ScenarioException(file + ":1:1: empty scenario (expected a mapping with at least a load section)");
        }
        if (!(node instanceof MappingNode)) {
            throw new ScenarioException(doc.at(node.getStartMark()) + ": a scenario is a mapping of keys such as "
                + "name, service, load, strategy; this document is "
                + (node instanceof SequenceNode ? "a list" : "a single value"));
        }
        doc.where.put(KeyPath.ROOT, new Where(node.getStartMark(), node.getStartMark(), null));
        doc.root = (ObjectNode) doc.convert(node, KeyPath.ROOT, null);
        doc.throwErrors();
        return doc;
    }

    ObjectNode root() {
        return root;
    }

    /**
     * Applies one {@code key.path=value} override; the value is read as YAML, so {@code 500/s}, {@code 3},
     * {@code [2xx]} and an empty value (back to the default) all work. Missing mappings on the way are created.
     *
     * @throws ScenarioException when the option is malformed or its path crosses a value that is not a mapping
     */
    void set(String option) {
        String origin = "--set " + option;
        int eq = option.indexOf('=');
        String[] keys = option.substring(0, Math.max(eq, 0)).trim().split("\\.", -1);
        if (eq < 1 || List.of(keys).contains("")) {
            throw new ScenarioException(file + ": " + origin + ": expected key.path=value, e.g. --set load.rate=500/s");
        }
        Node value = compose(option.substring(eq + 1), origin);
        JsonNode parent = root;
        KeyPath path = KeyPath.ROOT;
        for (int i = 0; i < keys.length; i++) {
            boolean last = i == keys.length - 1;
            if (parent instanceof ObjectNode map) {
                path = path.child(keys[i]);
                JsonNode next = map.get(keys[i]);
                if (!last && (next == null || next.isNull())) {
                    next = map.putObject(keys[i]);
                    where.put(path, new Where(null, null, origin));
                }
                parent = last ? map : next;
            } else if (parent instanceof ArrayNode list && keys[i].matches("\\d{1,9}")
                && Integer.parseInt(keys[i]) < list.size()) {
                path = path.child(Integer.parseInt(keys[i]));
                parent = last ? list : list.get(Integer.parseInt(keys[i]));
            } else {
                throw new ScenarioException(file + ": " + origin + ": " + path + " is " + describe(parent)
                    + (parent instanceof ArrayNode ? ", which has no entry " + keys[i] + " (entries count from 0)"
                    : ", not a mapping"));
            }
        }
        KeyPath target = path;
        where.keySet().removeIf(p -> p.startsWith(target));
        JsonNode converted = value == null ? NODES.nullNode() : convert(value, target, origin);
        throwErrors();
        where.put(target, new Where(null, null, origin));
        if (parent instanceof ObjectNode map) {
            map.set(keys[keys.length - 1], converted);
        } else {
            ((ArrayNode) parent).set((Integer) target.parts().get(target.parts().size() - 1), converted);
        }
    }

    /** The problems as {@code FILE:LINE:COL: KEY.PATH: message} lines, in file order, {@code --set} ones last. */
    List<String> format(List<Problem> problems) {
        record Line(Mark mark, String text) {
        }
        List<Line> lines = new ArrayList<>();
        for (Problem p : problems) {
            KeyPath path = p.path();
            while (!where.containsKey(path) || path.find(root) == null) {
                path = path.parent();
            }
            Where w = where.get(path);
            // A missing key points at the nearest key the document has; a present one at itself or its value.
            Mark mark = path.equals(p.path()) && !p.atKey() ? w.value() : w.key();
            String location = w.option() != null ? file + ": " + w.option() : at(mark);
            lines.add(new Line(mark, location + ": " + prefix(p.path()) + p.message()));
        }
        lines.sort(Comparator.comparing((Line l) -> l.mark() == null)
            .thenComparingInt(l -> l.mark() == null ? 0 : l.mark().getIndex()));
        return lines.stream().map(Line::text).distinct().toList();
    }

    /** How a message describes what it found instead: {@code "abc"}, {@code 3}, {@code a list}, {@code nothing}. */
    static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isTextual() ? "\"" + node.asText() + "\"" : node.asText();
    }

    private String text() {
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new ScenarioException(file + ": not a regular file (a scenario is a YAML file)");
            }
            if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
                throw new ScenarioException(file + ": " + Files.size(file) + " bytes, more than a scenario's limit of "
                    + MAX_BYTES + " bytes");
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new ScenarioException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * @param option the {@code --set} the text comes from, {@code null} for the file
     * @return the single document, {@code null} for none
     */
    private Node compose(String yaml, String option) {
        try {
            return new Yaml().compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ScenarioException((option == null ? at(mark) : file + ": " + option) + ": YAML syntax error: "
                + (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem());
        } catch (YAMLException e) {
            String where = option != null ? file + ": " + option
                : position(e, yaml).map(this::at).orElse(file.toString());
            throw new ScenarioException(where + ": YAML error: " + e.getMessage());
        }
    }

    /**
     * Where an error SnakeYAML gives without a mark lies: a character it does not read (its index in the text), or
     * the node that nests past its depth limit (found again in the event stream, which has no such limit).
     */
    private static java.util.Optional<Mark> position(YAMLException e, String yaml) {
        if (e instanceof ReaderException unreadable) {
            int line = 0;
            int lineStart = 0;
            for (int i = 0; i < Math.min(unreadable.getPosition(), yaml.length()); i++) {
                if (yaml.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return java.util.Optional.of(new Mark("", unreadable.getPosition(), line,
                unreadable.getPosition() - lineStart, new int[0], 0));
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Nesting Depth")) {
            int depth = 0;
            int limit = new LoaderOptions().getNestingDepthLimit();
            for (Event event : new Yaml().parse(new StringReader(yaml))) {
                if (event instanceof CollectionStartEvent && ++depth > limit) {
                    return java.util.Optional.of(event.getStartMark());
                }
                if (event instanceof CollectionEndEvent) {
                    depth--;
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code KEY.PATH: } before a message, nothing for the document as a whole. */
    private static String prefix(KeyPath path) {
        return path.isRoot() ? "" : path + ": ";
    }

    private String at(Mark mark) {
        return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    /** Where a conversion error is: in the file, or in the value of a {@code --set} option. */
    private String at(Mark mark, String option) {
        return (option == null ? at(mark) : file + ": " + option) + ": ";
    }

    private void throwErrors() {
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors);
        }
    }

    /** Converts a node and records where each key and value below {@code path} was written. */
    private JsonNode convert(Node node, KeyPath path, String option) {
        if (!open.add(node)) {
            errors.add(at(node.getStartMark(), option) + prefix(path) + "an alias refers to a mapping or list that contains it");
            return NODES.nullNode();
        }
        if (!(node instanceof ScalarNode) && !collections.add(node)) {
            // A few nested aliases of lists can stand for billions of entries (a "billion laughs" document); one
            // message is enough, pointing at the anchored mapping or list.
            open.remove(node);
            if (!aliasReported) {
                aliasReported = true;
                errors.add(at(node.getStartMark(), option) + prefix(path) + "an alias of this mapping or list: write "
                    + "it out (only aliases of single values are read)");
            }
            return NODES.nullNode();
        }
        try {
            if (node instanceof MappingNode mapping) {
                ObjectNode object = NODES.objectNode();
                Map<String, Mark> seen = new HashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    Node key = tuple.getKeyNode();
                    if (!(key instanceof ScalarNode scalar)) {
                        errors.add(at(key.getStartMark(), option) + prefix(path) + "keys must be plain words, not a mapping or list");
                        continue;
                    }
                    if (scalar.getValue().isBlank()) {
                        errors.add(at(key.getStartMark(), option) + prefix(path) + "an empty key");
                        continue;
                    }
                    KeyPath child = path.child(scalar.getValue());
                    Mark first = seen.putIfAbsent(scalar.getValue(), key.getStartMark());
                    if (first != null) {
                        errors.add(at(key.getStartMark(), option) + prefix(child) + "duplicate key (first on line "
                            + (first.getLine() + 1) + (option == null ? "" : " of the value") + ")");
                        continue;
                    }
                    where.put(child, new Where(key.getStartMark(), tuple.getValueNode().getStartMark(), option));
                    object.set(scalar.getValue(), convert(tuple.getValueNode(), child, option));
                }
                return object;
            }
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = NODES.arrayNode();
                for (Node item : sequence.getValue()) {
                    KeyPath child = path.child(array.size());
                    where.put(child, new Where(item.getStartMark(), item.getStartMark(), option));
                    array.add(convert(item, child, option));
                }
                return array;
            }
            return scalar((ScalarNode) node);
        } finally {
            open.remove(node);
        }
    }

    /** Plain scalars keep the type SnakeYAML resolved; forms Java cannot read as numbers stay text. */
    private static JsonNode scalar(ScalarNode node) {
        String text = node.getValue();
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return NODES.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            return NODES.booleanNode(text.matches("(?i)true|yes|on"));
        }
        try {
            if (tag.equals(Tag.INT)) {
                BigInteger n = new BigInteger(text.replace("_", ""));
                return n.bitLength() < 32 ? NODES.numberNode(n.intValue())
                    : n.bitLength() < 64 ? NODES.numberNode(n.longValue()) : NODES.numberNode(n);
            }
            if (tag.equals(Tag.FLOAT)) {
                return NODES.numberNode(Double.parseDouble(text.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            // e.g. 0x1F or 1:30 (YAML 1.1 forms): leave them as text, the field's own parser will judge them.
        }
        return NODES.textNode(text);
    }
}
