package dev.rolloutlab.chaos.mesh;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.chaos.mesh.PodSelection.Mode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates rollout-lab's fault vocabulary into Chaos Mesh objects. Where Chaos Mesh has no exact equivalent the
 * closest behaviour seen by clients is chosen:
 * <ul>
 * <li>{@code outage}: PodChaos {@code pod-failure} on every targeted pod; they stop listening and turn unready.</li>
 * <li>{@code kill}: PodChaos {@code pod-kill} ({@code fixed} count or {@code fixed-percent} share).</li>
 * <li>{@code crash-loop}: PodChaos {@code pod-failure}. Approximate: the pods are down for the whole duration, but
 * they do not start, crash and back off repeatedly (that needs a Chaos Mesh Schedule of container-kills).</li>
 * <li>{@code pause}: NetworkChaos {@code partition}. Chaos Mesh cannot freeze a process; black-holing its traffic
 * looks the same from outside: connections hang until the client times out, probes fail.</li>
 * <li>{@code latency}: NetworkChaos {@code delay} (netem, every packet, so each request pays the delay more than
 * once on a multi-packet exchange).</li>
 * <li>{@code errors}: HTTPChaos replacing response codes with 503.</li>
 * <li>{@code partition}: NetworkChaos {@code partition} of the target version or cell.</li>
 * <li>{@code cpu-stress}: StressChaos, one CPU worker at 100 % load per pod.</li>
 * <li>{@code loss}: NetworkChaos {@code loss} with the share as a percentage of packets.</li>
 * </ul>
 * Latency and errors have no per-request probability in Chaos Mesh: a {@code share} below 1 selects that percentage
 * of the targeted pods instead, which equals the request share when the Service balances evenly.
 */
public final class ChaosMeshFaults {
    /** Lifetime of the object of an instant fault (kill): long enough for Chaos Mesh to act, then it expires. */
    public static final Duration INSTANT_FAULT_DURATION = Duration.ofSeconds(30);
    static final int CPU_WORKERS = 1;
    static final int CPU_LOAD_PERCENT = 100;
    static final int ERROR_STATUS = 503;

    private ChaosMeshFaults() {
    }

    /**
     * The objects that inject {@code fault}.
     *
     * @param index distinguishes the run's faults in object names
     * @throws IllegalArgumentException for a bad run id or a target the run does not have
     */
    public static List<ChaosObject> objectsFor(Fault fault, RunPods runPods, String runId, String namespace,
                                               int index) {
        ChaosMeta meta = ChaosMeta.of(runId, index, fault.type().yamlName(), namespace);
        // The run id too: a run's selector never reaches the pods of another run of the same app in the namespace.
        Selector pods = new Selector(runPods, runId);
        Target target = fault.target();
        Duration d = fault.duration();
        ChaosObject object = switch (fault.type()) {
            case OUTAGE -> new PodChaos(meta, PodChaos.Action.POD_FAILURE, all(pods, target), d);
            case KILL -> new PodChaos(meta, PodChaos.Action.POD_KILL, replicas(fault, pods),
                INSTANT_FAULT_DURATION);
            case CRASH_LOOP -> new PodChaos(meta, PodChaos.Action.POD_FAILURE, replicas(fault, pods), d);
            case PAUSE -> new NetworkChaos(meta, replicas(fault, pods), new NetworkChaos.Partition(), d);
            case LATENCY -> new NetworkChaos(meta, requestShare(fault, pods),
                new NetworkChaos.Delay(fault.delay(), fault.jitter()), d);
            case ERRORS -> new HttpChaos(meta, requestShare(fault, pods), pods.httpPort(), pods.loadPath(),
                ERROR_STATUS, d);
            case PARTITION -> new NetworkChaos(meta, all(pods, target), new NetworkChaos.Partition(), d);
            case CPU_STRESS -> new StressChaos(meta, replicas(fault, pods), CPU_WORKERS, CPU_LOAD_PERCENT, d);
            case LOSS -> new NetworkChaos(meta, all(pods, target), new NetworkChaos.Loss(percent(fault.share())), d);
        };
        return List.of(object);
    }

    /** The run's pods of a target, by their labels and the run id. */
    private record Selector(RunPods pods, String runId) {
        String namespace() {
            return pods.namespace();
        }

        int httpPort() {
            return pods.httpPort();
        }

        String loadPath() {
            return pods.loadPath();
        }

        Map<String, String> labels(Target target) {
            Map<String, String> labels = new LinkedHashMap<>(pods.labels(target));
            labels.put(ChaosMeta.RUN_ID_LABEL, runId);
            return labels;
        }
    }

    private static PodSelection all(Selector s, Target target) {
        return new PodSelection(Mode.ALL, null, s.namespace(), s.labels(target));
    }

    /** {@code count} or {@code share} of the targeted replicas; neither means all of them. */
    private static PodSelection replicas(Fault f, Selector s) {
        if (f.count() != null) {
            return new PodSelection(Mode.FIXED, f.count().toString(), s.namespace(), s.labels(f.target()));
        }
        return f.share() == null ? all(s, f.target()) : percentOfPods(f, s);
    }

    /** A share of requests, approximated by the same share of the targeted pods. */
    private static PodSelection requestShare(Fault f, Selector s) {
        return f.share() == null || f.share() >= 1 ? all(s, f.target()) : percentOfPods(f, s);
    }

    private static PodSelection percentOfPods(Fault f, Selector s) {
        long percent = Math.max(1, Math.round(f.share() * 100));
        return new PodSelection(Mode.FIXED_PERCENT, Long.toString(percent), s.namespace(), s.labels(f.target()));
    }

    /** {@code 0.25} → {@code "25"}, {@code 0.125} → {@code "12.5"}. */
    private static String percent(double share) {
        return BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString();
    }
}
