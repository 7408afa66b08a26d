package dev.rolloutlab.strategy;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.scenario.CellBasedSpec;
import java.util.stream.IntStream;

/**
 * Cell-based deployment: users are pinned to cells, and the candidate replaces the stable version one cell at a
 * time, each baking for {@code bakeTime} before the next, so a bad release that the analysis catches has reached
 * only the cells done so far. A rollback restores just those cells.
 */
final class CellBased implements Strategy {
    private final Rollout rollout;
    private final CellBasedSpec spec;
    private final int cells;
    /** The cell being updated: the cells up to it are the ones a rollback has to restore. */
    private int current;

    CellBased(Rollout rollout, CellBasedSpec spec) {
        this.rollout = rollout;
        this.spec = spec;
        this.cells = spec.cells();
    }

    @Override
    public void start() {
        rollout.route(new Routing.ByCell(cells), EventType.ROUTE, "to", "by-cell", "cells", cells);
        update(1);
    }

    private void update(int cell) {
        if (cell > cells) {
            rollout.when(() -> IntStream.rangeClosed(1, cells)
                .allMatch(k -> rollout.status(set(rollout.stable(), k)).running() == 0), rollout::promoted);
            return;
        }
        current = cell;
        rollout.scaleUp(set(rollout.candidate(), cell), size(cell), () -> {
            rollout.scale(set(rollout.stable(), cell), 0);
            rollout.cellExposed(cell);
            rollout.hold(EventType.BAKE, spec.bakeTime(), () -> update(cell + 1));
        });
    }

    /** All touched cells at once: they are independent, and each is restored before its candidate goes. */
    @Override
    public void rollback() {
        for (int cell = 1; cell <= current; cell++) {
            ReplicaSet candidate = set(rollout.candidate(), cell);
            rollout.restore(set(rollout.stable(), cell), size(cell), () -> rollout.scale(candidate, 0));
        }
        rollout.when(() -> IntStream.rangeClosed(1, current).allMatch(k ->
                rollout.status(set(rollout.stable(), k)).ready() >= size(k)
                    && rollout.status(set(rollout.candidate(), k)).running() == 0),
            rollout::rollbackComplete);
    }

    private int size(int cell) {
        return ReplicaSet.cellShare(rollout.replicas(), cells, cell);
    }

    /** A platform deploys a single cell as the whole service, not split. */
    private ReplicaSet set(String version, int cell) {
        return cells == 1 ? ReplicaSet.of(version) : new ReplicaSet(version, cell);
    }
}
