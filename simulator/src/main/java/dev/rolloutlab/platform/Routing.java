package dev.rolloutlab.platform;

/** How the Service (proxy, mesh or selector) spreads requests over ready replicas. */
public sealed interface Routing {
    /** A Service selecting every ready replica of the app, whatever its version: traffic follows replica counts. */
    record AllReady() implements Routing {
    }

    /** Only the ready replicas of one version: a selector switched to it (blue-green). */
    record Selector(String version) implements Routing {
    }

    /**
     * Exact weights between two versions, as a proxy or mesh applies them: each user id is placed on one side by a
     * hash, so a user stays on one version while the weight holds; a request with {@code X-Canary: always} goes to
     * the candidate whatever the weight.
     *
     * @param candidateWeight share of users sent to the candidate, 0..1
     */
    record Weighted(String stable, String candidate, double candidateWeight) implements Routing {
        public Weighted {
            if (!(candidateWeight >= 0 && candidateWeight <= 1)) {
                throw new IllegalArgumentException("candidateWeight must be within 0..1, got " + candidateWeight);
            }
        }
    }

    /**
     * Users are assigned to cells by user id (cell = id mod cells, plus one); within a cell, requests go round robin
     * over that cell's ready replicas, whatever their version.
     */
    record ByCell(int cells) implements Routing {
    }
}
