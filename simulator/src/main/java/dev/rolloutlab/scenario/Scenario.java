package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.OptBoolean;
import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.result.Gate;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario file (format v1), bound and checked by {@link ScenarioLoader}: what to deploy, the load to drive, the
 * strategy to run, what to inject and which gates the run must pass. Every default of the format is filled in, so
 * only the sections documented as optional can be {@code null}.
 *
 * @param name     names the run and its report folder; default the file name without extension
 * @param platform {@code local} (default) or {@code kubernetes}
 * @param strategy {@code null} for a load-only run
 * @param analysis {@code null} when nothing decides a rollback automatically
 * @param rollback {@code null} without a scripted abort
 * @param gates    metric name (one of {@code GateMetrics.names()}) to bound, in file order
 * @param kubernetes where a {@code platform: kubernetes} run deploys (defaults when the section is absent)
 * @param source   the file it was read from
 * @param repeat   how many times {@code run} runs it (default 1); gates are then checked on the runs' medians
 * @param claims   whose claims {@code compare} prints beside this run's measurements; {@code null} for none
 * @param metrics  live Prometheus metrics during the run; {@code null} (the default) serves none
 */
public record Scenario(String name, String platform, Service service, Load load, StrategySpec strategy,
                       Analysis analysis, Rollback rollback, List<Fault> faults, Map<String, Gate> gates, Slo slo,
                       OutagePolicy outage, Kubernetes kubernetes, Path source, int repeat, ClaimSource claims,
                       MetricsExport metrics) {
    public static final List<String> PLATFORMS = List.of("local", "kubernetes");
    /** Jackson injects the file under this id, so defaults that depend on it are set while binding. */
    static final String SOURCE = "source";

    public Scenario {
        faults = faults == null ? List.of() : List.copyOf(faults);
        gates = gates == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(gates));
    }

    @JsonCreator
    static Scenario fromYaml(@JsonProperty("name") String name, @JsonProperty("platform") String platform,
                             @JsonProperty("service") Service service, @JsonProperty("load") Load load,
                             @JsonProperty("strategy") StrategySpec strategy, @JsonProperty("analysis") Analysis analysis,
                             @JsonProperty("rollback") Rollback rollback, @JsonProperty("faults") List<Fault> faults,
                             @JsonProperty("gates") Map<String, Gate> gates, @JsonProperty("slo") Slo slo,
                             @JsonProperty("outage") OutagePolicy outage,
                             @JsonProperty("kubernetes") Kubernetes kubernetes,
                             @JsonProperty("repeat") Integer repeat,
                             @JsonProperty("claims") ClaimSource claims,
                             @JsonProperty("metrics") MetricsExport metrics,
                             @JacksonInject(value = SOURCE, useInput = OptBoolean.FALSE) Path source) {
        String on = platform != null ? platform : "local";
        // The proxy exists only on the local platform; Kubernetes shifts traffic by replica counts unless told otherwise.
        StrategySpec routed = strategy == null || strategy.trafficRouting() != null ? strategy
            : strategy.withTrafficRouting("kubernetes".equals(on) ? "replicas" : "proxy");
        return new Scenario(name != null ? name : source.getFileName().toString().replaceFirst("\\.ya?ml$", ""), on,
            service != null ? service : Service.DEFAULT, load, routed, analysis, rollback, faults, gates,
            slo != null ? slo : Slo.DEFAULT, outage != null ? outage : OutagePolicy.DEFAULT,
            kubernetes != null ? kubernetes : Kubernetes.DEFAULT, source, repeat != null ? repeat : 1, claims,
            metrics);
    }

    /** A run without a strategy: the load alone, as a baseline or against a deploy done by hand. */
    public boolean loadOnly() {
        return strategy == null;
    }
}
