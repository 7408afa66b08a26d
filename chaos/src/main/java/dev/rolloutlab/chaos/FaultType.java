package dev.rolloutlab.chaos;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kinds of fault a scenario can inject, one vocabulary for every platform (the local platform's injectors and
 * Chaos Mesh alike). Each type names the {@link Fault} fields it needs and those it may take, so a scenario file is
 * checked against the type before anything is injected.
 */
public enum FaultType {
    /** Every request fails for {@code duration}: the service refuses connections. */
    OUTAGE("outage", List.of("duration"), List.of()),
    /** Kills replicas once ({@code count} or {@code share} of the target, default one); the platform restarts them. */
    KILL("kill", List.of(), List.of("count", "share")),
    /** Replicas crash right after every start for {@code duration}, with restart back-off. */
    CRASH_LOOP("crash-loop", List.of("duration"), List.of("count", "share")),
    /** Replicas are frozen (SIGSTOP) for {@code duration}: connections stay open, nothing answers. */
    PAUSE("pause", List.of("duration"), List.of("count", "share")),
    /** Adds {@code delay} (± {@code jitter}) to a {@code share} of requests (default all) for {@code duration}. */
    LATENCY("latency", List.of("delay", "duration"), List.of("jitter", "share")),
    /** Answers a {@code share} of requests with 503 for {@code duration}. */
    ERRORS("errors", List.of("share", "duration"), List.of()),
    /** Cuts the target (a version or a cell) off the network for {@code duration}. */
    PARTITION("partition", List.of("duration"), List.of()),
    /** Burns CPU on replicas ({@code count} or {@code share}, default every targeted replica) for {@code duration}. */
    CPU_STRESS("cpu-stress", List.of("duration"), List.of("count", "share")),
    /** Drops a {@code share} of packets for {@code duration}. */
    LOSS("loss", List.of("share", "duration"), List.of());

    /** Fields every fault takes, whatever its type. */
    public static final List<String> COMMON_FIELDS = List.of("at", "type", "target");

    private final String yamlName;
    private final List<String> required;
    private final List<String> fields;

    FaultType(String yamlName, List<String> required, List<String> optional) {
        this.yamlName = yamlName;
        this.required = required;
        this.fields = Stream.concat(required.stream(), optional.stream()).toList();
    }

    /** The name scenario files use, e.g. {@code crash-loop}. */
    public String yamlName() {
        return yamlName;
    }

    /** The type-specific fields a fault of this type must set. */
    public List<String> required() {
        return required;
    }

    /** The type-specific fields a fault of this type may set (required ones first); any other is a mistake. */
    public List<String> fields() {
        return fields;
    }

    /** Whether a fault of this type may set {@code field}: a common field or one of {@link #fields()}. */
    public boolean takes(String field) {
        return COMMON_FIELDS.contains(field) || fields.contains(field);
    }

    /** @throws IllegalArgumentException naming the known types */
    public static FaultType fromYaml(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName.equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown fault type \"" + name + "\" (known: "
                + Arrays.stream(values()).map(FaultType::yamlName).collect(Collectors.joining(", ")) + ")"));
    }
}
