package dev.rolloutlab.reports;

/**
 * How well the load generator kept its schedule. When {@code saturated}, this machine could not send at the
 * target rate: the run says so, and that lag is never counted as service downtime.
 *
 * @param droppedRequests requests the generator could not send (its own queue or pool was full); they are not
 *                        counted as requests or failures of the service
 */
public record GeneratorStats(double targetRate, double achievedRate, double maxSendLagMs, boolean saturated,
                             long droppedRequests) {
}
