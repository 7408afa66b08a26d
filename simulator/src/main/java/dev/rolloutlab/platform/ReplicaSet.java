package dev.rolloutlab.platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replicas of one version, in one cell ({@code cell} 1..cells) or in the whole service ({@code cell} 0), as a
 * Deployment's ReplicaSet would hold them.
 */
public record ReplicaSet(String version, int cell) {
    public static ReplicaSet of(String version) {
        return new ReplicaSet(version, 0);
    }

    /** A cell's share of {@code replicas} split as evenly as they go: the first {@code N mod C} cells get one more. */
    public static int cellShare(int replicas, int cells, int cell) {
        return replicas / cells + (cell <= replicas % cells ? 1 : 0);
    }

    /**
     * The sets a version starts in and their sizes, in cell order: one set of the whole service, or with more than
     * one cell a set per cell with its {@link #cellShare}.
     */
    public static Map<ReplicaSet, Integer> spread(String version, int replicas, int cells) {
        Map<ReplicaSet, Integer> sets = new LinkedHashMap<>();
        if (cells > 1) {
            for (int cell = 1; cell <= cells; cell++) {
                sets.put(new ReplicaSet(version, cell), cellShare(replicas, cells, cell));
            }
        } else {
            sets.put(of(version), replicas);
        }
        return sets;
    }

    public ReplicaSet {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("version is required");
        }
        if (cell < 0) {
            throw new IllegalArgumentException("cell must be >= 0, got " + cell);
        }
    }

    @Override
    public String toString() {
        return cell == 0 ? version : version + "@cell-" + cell;
    }
}
