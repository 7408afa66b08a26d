package dev.rolloutlab.scenario;

import java.util.Arrays;
import java.util.stream.Collectors;

/** {@code claims:}: where the claims a comparison prints beside this scenario's measurements come from. */
public enum ClaimSource {
    /** The seed document's table: its row for the scenario's strategy. */
    SEED("seed");

    private final String yamlName;

    ClaimSource(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    static ClaimSource fromYaml(String text) {
        return Arrays.stream(values()).filter(c -> c.yamlName.equals(text)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown claims source \"" + text + "\" (known: "
                + Arrays.stream(values()).map(ClaimSource::yamlName).collect(Collectors.joining(", ")) + ")"));
    }
}
