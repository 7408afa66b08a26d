package dev.rolloutlab.platform;

/**
 * The replicas of one version, in one cell ({@code cell} 1..cells) or in the whole service ({@code cell} 0), as a
 * Deployment's ReplicaSet would hold them.
 */
public record ReplicaSet(String version, int cell) {
    public static ReplicaSet of(String version) {
        return new ReplicaSet(version, 0);
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
