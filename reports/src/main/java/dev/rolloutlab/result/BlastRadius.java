package dev.rolloutlab.result;

/**
 * How much of the traffic a rollout exposed, over one window: from rollout start to rollout end ({@code blastRadius},
 * during the rollout) or to the end of the run ({@code exposure}: what a release promoted and then failing did).
 */
public record BlastRadius(
    Double candidateRequestShare,
    Double peakCandidateShare,
    Double failedRequestShare,
    Double affectedUserShare,
    Integer cellsExposed,
    Integer cellsTotal) {

    public static final BlastRadius NONE = new BlastRadius(null, null, null, null, null, null);
}
