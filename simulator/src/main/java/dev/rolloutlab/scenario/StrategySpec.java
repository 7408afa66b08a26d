package dev.rolloutlab.scenario;

import java.time.Duration;
import java.util.List;

/**
 * How the candidate replaces the stable version (YAML section {@code strategy:}). Each {@link StrategyType} binds to
 * its own record, which holds that type's keys with their defaults and checks them, so a key of another type is an
 * error and no spec carries a setting its type would ignore. The keys here are those every type takes;
 * {@link ScenarioValidator} checks them against the rest of the scenario.
 */
public sealed interface StrategySpec permits RecreateSpec, RollingUpdateSpec, BlueGreenSpec, CanarySpec, CellBasedSpec {
    List<String> TRAFFIC_ROUTINGS = List.of("proxy", "replicas", "istio", "gatewayApi");
    /** When a rollout starts unless told: after 5 s of load alone, the baseline. */
    Duration DEFAULT_START_AT = Duration.ofSeconds(5);
    Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);

    StrategyType type();

    /** When the rollout starts, counted from load start, so the load first runs alone as the baseline (default 5s). */
    Duration startAt();

    /**
     * One of {@link #TRAFFIC_ROUTINGS}: {@code proxy} (exact weights, local platform; the local default),
     * {@code replicas} (weight = replica ratio; the Kubernetes default), {@code istio} or {@code gatewayApi}
     * (Kubernetes).
     */
    String trafficRouting();

    /** A rollout that makes no progress this long fails (default 10m). */
    Duration progressDeadline();

    /** The same settings routed by {@code routing}: the platform's default, for a file that sets none. */
    StrategySpec withTrafficRouting(String routing);

    /**
     * Checks the keys of this type, those binding cannot judge alone (ranges, what they come to with the scenario's
     * replicas).
     *
     * @param at where the section is in the document
     */
    void check(Scenario scenario, KeyPath at, Problems problems);
}
