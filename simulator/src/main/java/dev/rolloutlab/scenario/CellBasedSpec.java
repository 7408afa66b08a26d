package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * {@code strategy.type: cell-based}: the keys every type takes ({@link StrategySpec}) and these.
 *
 * @param cells    how many cells the replicas are split into, required, 1..replicas ({@code null} only until
 *                 {@link #check} has reported it missing)
 * @param bakeTime how long each cell runs the candidate before the next one (default 10s)
 */
public record CellBasedSpec(Duration startAt, String trafficRouting, Duration progressDeadline, Integer cells,
                            Duration bakeTime) implements StrategySpec {
    @JsonCreator
    static CellBasedSpec fromYaml(@JsonProperty("startAt") Duration startAt,
                                  @JsonProperty("trafficRouting") String trafficRouting,
                                  @JsonProperty("progressDeadline") Duration progressDeadline,
                                  @JsonProperty("cells") Integer cells,
                                  @JsonProperty("bakeTime") Duration bakeTime) {
        return new CellBasedSpec(startAt != null ? startAt : DEFAULT_START_AT, trafficRouting,
            progressDeadline != null ? progressDeadline : DEFAULT_PROGRESS_DEADLINE, cells,
            bakeTime != null ? bakeTime : Duration.ofSeconds(10));
    }

    @Override
    public StrategyType type() {
        return StrategyType.CELL_BASED;
    }

    @Override
    public CellBasedSpec withTrafficRouting(String routing) {
        return new CellBasedSpec(startAt, routing, progressDeadline, cells, bakeTime);
    }

    /** Every cell needs at least one replica of its own. */
    @Override
    public void check(Scenario scenario, KeyPath at, Problems problems) {
        int replicas = scenario.service().replicas();
        if (cells == null) {
            problems.error(at.child("cells"), "required for cell-based: how many cells the replicas are split into, "
                + "e.g. cells: 5");
        } else if (cells < 1 || cells > replicas) {
            problems.error(at.child("cells"), "must be within 1..service.replicas (" + replicas + "), got " + cells);
        }
    }
}
