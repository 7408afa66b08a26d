package dev.rolloutlab.result;

/** How much of the traffic the rollout exposed, measured from rollout start to rollout end. */
public record BlastRadius(
    Double candidateRequestShare,
    Double peakCandidateShare,
    Double failedRequestShare,
    Double affectedUserShare,
    Integer cellsExposed,
    Integer cellsTotal) {

    public static final BlastRadius NONE = new BlastRadius(null, null, null, null, null, null);
}
