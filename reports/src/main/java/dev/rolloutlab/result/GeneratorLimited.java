package dev.rolloutlab.result;

/**
 * Requests the generator could not make on time: the generator's failures, never the service's, so they are in no
 * other metric.
 *
 * @param requests such requests of the whole run
 * @param share    requests / (service requests + requests): the part of the planned load that was not measured
 * @param byCause  the same requests by why they could not be made
 */
public record GeneratorLimited(long requests, double share, ByCause byCause) {
    /**
     * @param expiredUnsent still unsent at their deadline (intended time + timeout)
     * @param noConnection  waited for a connection, every one up to {@code load.maxConnections} busy, until then
     * @param loopLate      the generator's event loop ran later than the send-lag bound while they were due
     */
    public record ByCause(long expiredUnsent, long noConnection, long loopLate) {
    }
}
