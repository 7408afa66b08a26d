package dev.rolloutlab.strategy;

import static dev.rolloutlab.scenario.StrategyType.CELL_BASED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.result.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellBasedTest {
    /** 5 replicas in 3 cells: 2, 2 and 1. */
    private static Harness cells() {
        return new Harness(5, Spec.of(CELL_BASED).cells(3, "10s"));
    }

    @Test
    void cellBasedUpdatesOneCellAtATimeAndBakesEach() {
        Harness h = cells().start().runTo(120);

        assertThat(h.calls()).containsExactly("route by-cell 3", "scale v2@cell-1 2", "scale v1@cell-1 0",
            "scale v2@cell-2 2", "scale v1@cell-2 0", "scale v2@cell-3 1", "scale v1@cell-3 0");
        assertThat(h.all("cell-exposed")).extracting(Event::t).containsExactly(1.0, 12.0, 23.0);
        assertThat(h.milestones()).containsExactly("rollout-start", "rollout-complete");
        assertThat(h.at("rollout-complete")).isEqualTo(33.0);
        assertThat(h.rollout.cellsExposed()).isEqualTo(3);
    }

    @Test
    void cellBasedAbortDuringTheFirstBakeRevertsOnlyTheFirstCell() {
        Harness h = cells().start().runTo(5);
        List<String> before = h.calls();
        h.rollout.abort("test");
        h.runTo(120);

        assertThat(h.rollout.cellsExposed()).isEqualTo(1);
        assertThat(h.calls().subList(before.size(), h.calls().size()))
            .containsExactly("scale v1@cell-1 2", "scale v2@cell-1 0");
        assertThat(h.all("scale").get(3).t()).isEqualTo(6.0);
        assertThat(h.at("rollback-complete")).isEqualTo(8.0);
    }

    @Test
    void cellBasedAbortWhileACellStartsRemovesThatCellsCandidateToo() {
        Harness h = cells().start().runTo(11.5);
        List<String> before = h.calls();
        h.rollout.abort("test");
        h.runTo(120);

        assertThat(h.rollout.cellsExposed()).isEqualTo(1);
        assertThat(h.calls().subList(before.size(), h.calls().size()))
            .containsExactly("scale v1@cell-1 2", "scale v2@cell-2 0", "scale v2@cell-1 0");
        assertThat(h.at("rollback-complete")).isEqualTo(14.5);
    }

    @Test
    void cellBasedWithOneCellUpdatesTheWholeService() {
        Harness h = new Harness(3, Spec.of(CELL_BASED).cells(1, "10s")).start().runTo(60);

        assertThat(h.calls()).containsExactly("route by-cell 1", "scale v2 3", "scale v1 0");
        assertThat(h.rollout.cellsExposed()).isEqualTo(1);
        assertThat(h.rollout.outcome()).isEqualTo("promoted");
    }
}
