package dev.rolloutlab.traffic;

import java.util.List;

/**
 * Which kind each request of the plan is: drawn from the kinds' weights by a hash of the run's seed and the request's
 * sequence number, so the same seed gives the same kinds in the same places however the plan is dealt to lanes.
 */
final class RequestMix {
    private final RequestTemplate[] templates;
    /** Upper bounds of each kind's share of [0, 1), in order; the last is 1. */
    private final double[] cumulative;
    private final long seed;

    /**
     * @param kinds the mix; empty for GETs of {@code targetPath}
     * @param host  the {@code Host} header's value
     */
    RequestMix(List<RequestKind> kinds, String targetPath, String host, long seed) {
        List<RequestKind> all = kinds.isEmpty() ? List.of(RequestKind.targetGet(targetPath)) : kinds;
        this.templates = all.stream().map(k -> RequestTemplate.of(k, host)).toArray(RequestTemplate[]::new);
        this.cumulative = new double[all.size()];
        double total = all.stream().mapToDouble(RequestKind::weight).sum();
        double sum = 0;
        for (int i = 0; i < all.size(); i++) {
            sum += all.get(i).weight();
            cumulative[i] = sum / total;
        }
        cumulative[all.size() - 1] = 1;
        this.seed = seed;
    }

    /** The index of request {@code seq}'s kind. */
    int kindOf(long seq) {
        if (cumulative.length == 1) {
            return 0;
        }
        double u = (mix(seed * 0x9E3779B97F4A7C15L + seq) >>> 11) * 0x1.0p-53;
        int i = 0;
        while (u >= cumulative[i]) { // kinds are few (at most 20): a scan beats a search
            i++;
        }
        return i;
    }

    RequestTemplate template(int kind) {
        return templates[kind];
    }

    /** SplitMix64's finaliser: consecutive sequence numbers give independent-looking draws. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
