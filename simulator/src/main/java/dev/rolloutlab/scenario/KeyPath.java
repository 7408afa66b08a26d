package dev.rolloutlab.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a value sits in a scenario document: mapping keys ({@code String}) and list indexes ({@code Integer}) from
 * the root. It joins what the YAML reader saw, what Jackson complains about and what validation blames, and prints
 * as an SRE would write it: {@code faults[2].target}.
 */
record KeyPath(List<Object> parts) {
    static final KeyPath ROOT = new KeyPath(List.of());

    KeyPath {
        parts = List.copyOf(parts);
    }

    static KeyPath of(Object... parts) {
        return new KeyPath(List.of(parts));
    }

    KeyPath child(Object part) {
        List<Object> longer = new ArrayList<>(parts);
        longer.add(part);
        return new KeyPath(longer);
    }

    KeyPath parent() {
        return new KeyPath(parts.subList(0, parts.size() - 1));
    }

    boolean isRoot() {
        return parts.isEmpty();
    }

    boolean startsWith(KeyPath prefix) {
        return parts.size() >= prefix.parts.size() && parts.subList(0, prefix.parts.size()).equals(prefix.parts);
    }

    /** @return the node at this path, or {@code null} when the document does not have it */
    JsonNode find(JsonNode root) {
        JsonNode node = root;
        for (Object part : parts) {
            node = node == null ? null : part instanceof Integer i ? node.get(i) : node.get((String) part);
        }
        return node;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Integer) {
                s.append('[').append(part).append(']');
            } else {
                s.append(s.isEmpty() ? "" : ".").append(part);
            }
        }
        return s.toString();
    }
}
