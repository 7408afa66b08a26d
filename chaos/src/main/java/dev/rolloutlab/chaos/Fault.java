package dev.rolloutlab.chaos;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One fault of a scenario, as plain data every platform's injector reads. Construction only fills in defaults, so
 * a scenario parser can build a fault from whatever a file says and then ask {@link #problems()} what is wrong,
 * field by field, to report each problem where it was written.
 *
 * @param at       when the fault starts, counted from load start
 * @param target   what it hits; default {@link Target#ALL}
 * @param duration how long it lasts (every type but {@code kill})
 * @param count    replicas hit (kill, crash-loop, pause: default 1; cpu-stress: default every targeted replica)
 * @param share    share of the targeted replicas, or for latency, errors and loss the share of requests or packets
 * @param delay    latency added to each affected request
 * @param jitter   random variation of {@code delay}, up to ± this much
 */
public record Fault(Duration at, FaultType type, Target target, Duration duration, Integer count, Double share,
                    Duration delay, Duration jitter) {
    public Fault {
        target = target == null ? Target.ALL : target;
        boolean hitsOneReplicaByDefault = type == FaultType.KILL || type == FaultType.CRASH_LOOP || type == FaultType.PAUSE;
        if (hitsOneReplicaByDefault && count == null && share == null) {
            count = 1;
        }
    }

    /**
     * What is wrong with this fault, keyed by the field to blame (a YAML key such as {@code duration}); empty when
     * the fault can be injected. A field the type does not take is blamed even when its value is fine.
     */
    public Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        if (at == null) {
            problems.put("at", "required: when the fault starts, counted from load start");
        }
        if (type == null) {
            problems.put("type", "required: what kind of fault to inject");
            return problems;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("duration", duration);
        values.put("count", count);
        values.put("share", share);
        values.put("delay", delay);
        values.put("jitter", jitter);
        values.forEach((field, value) -> {
            if (value != null && !type.takes(field)) {
                problems.put(field, "not a field of fault type " + type.yamlName() + " (it takes "
                    + String.join(", ", type.fields()) + ")");
            } else if (value == null && type.required().contains(field)) {
                problems.put(field, "required for fault type " + type.yamlName());
            }
        });
        if (count != null && share != null && type.takes("count")) {
            problems.putIfAbsent("share", "give count or share, not both");
        }
        if (count != null && count < 1) {
            problems.putIfAbsent("count", "must be at least 1, got " + count);
        }
        if (share != null && !(share > 0 && share <= 1)) {
            problems.putIfAbsent("share", "must be more than 0 and at most 1 (100%), got " + share);
        }
        positive(problems, "duration", duration);
        positive(problems, "delay", delay);
        if (jitter != null && jitter.isNegative()) {
            problems.putIfAbsent("jitter", "must not be negative");
        }
        if (type == FaultType.PARTITION && target.kind() == Target.Kind.ALL) {
            problems.put("target", "a partition cuts a version or a cell off from the rest: "
                + "set target to stable, candidate or cell-N");
        }
        return problems;
    }

    private static void positive(Map<String, String> problems, String field, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            problems.putIfAbsent(field, "must be longer than 0s");
        }
    }
}
