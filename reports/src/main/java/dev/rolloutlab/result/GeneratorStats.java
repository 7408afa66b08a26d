package dev.rolloutlab.result;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How well the load generator kept its schedule. When {@code saturated}, this machine could not make every request
 * on time: those it could not make are generator-limited (counted apart, never as the service's failures), and when
 * {@code invalidReason} is set the run's measurement is invalid.
 *
 * @param droppedRequests     requests the generator could not make on time (generator-limited, every cause); they
 *                            are not counted as requests or failures of the service
 * @param p99SendLagMs        99th percentile of how late requests left after their intended time
 * @param maxConnections      the connection cap the run had (the scenario's, or lower when the process's file
 *                            limit allowed fewer)
 * @param peakConnections     most connections open at once
 * @param connectionsOpened   connections opened over the run (those it took over from the warm-up not counted)
 * @param invalidReason       why the run's measurement is invalid (generator-limited share or send lag above their
 *                            bounds); null when it is valid
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GeneratorStats(double targetRate, double achievedRate, double maxSendLagMs, boolean saturated,
                             long droppedRequests, Double p99SendLagMs, Integer maxConnections,
                             Integer peakConnections, Long connectionsOpened, String invalidReason) {

    /** Stats of a result that predates the connection fields. */
    public GeneratorStats(double targetRate, double achievedRate, double maxSendLagMs, boolean saturated,
                          long droppedRequests) {
        this(targetRate, achievedRate, maxSendLagMs, saturated, droppedRequests, null, null, null, null, null);
    }

    /** The same stats, marked invalid for {@code reason}. */
    public GeneratorStats invalid(String reason) {
        return new GeneratorStats(targetRate, achievedRate, maxSendLagMs, saturated, droppedRequests, p99SendLagMs,
            maxConnections, peakConnections, connectionsOpened, reason);
    }
}
