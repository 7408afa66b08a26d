package dev.rolloutlab.chaos.mesh;

import java.util.List;
import java.util.Map;

/**
 * Which pods a Chaos Mesh object acts on: the spec's {@code mode}, {@code value} and {@code selector}. The selector
 * always names the namespace and the app's labels, so a fault can never reach pods outside the run.
 *
 * @param value the count ({@code fixed}) or percentage ({@code fixed-percent}); {@code null} for the other modes
 */
public record PodSelection(Mode mode, String value, String namespace, Map<String, String> labels) {
    public enum Mode {
        ALL("all"), FIXED("fixed"), FIXED_PERCENT("fixed-percent");

        final String name;

        Mode(String name) {
            this.name = name;
        }
    }

    /** Adds {@code mode}, {@code value} and {@code selector} to a spec under construction. */
    void writeTo(Map<String, Object> spec) {
        spec.put("mode", mode.name);
        if (value != null) {
            spec.put("value", value);
        }
        spec.put("selector", ChaosObject.map("namespaces", List.of(namespace), "labelSelectors", labels));
    }
}
