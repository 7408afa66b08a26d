package dev.rolloutlab.prometheus;

import dev.rolloutlab.measure.Recorder.LatencyBuckets;
import java.util.Map;

/**
 * What the live metrics show at one moment of a run; {@code finished} once the run's result is assembled, when
 * every total equals result.json's.
 *
 * @param failuresByCause        result.json's {@code failuresByCause} keys
 * @param generatorLimitedByCause result.json's {@code generatorLimited.byCause} keys
 * @param sendLagSeconds         the generator's largest send lag since the previous snapshot
 * @param rolloutState           one of {@link RunObserver#STATES}
 * @param outage                 every request of the latest second failed (as the console's OUTAGE line)
 */
public record RunSnapshot(Map<String, Long> requestsByVersion, Map<String, Long> failedByVersion,
                          Map<String, Long> failuresByCause, Map<String, Long> generatorLimitedByCause,
                          double sendLagSeconds, Map<String, LatencyBuckets> latencyByVersion,
                          Map<String, Integer> replicasByVersion, String rolloutState, boolean outage,
                          double downtimeSeconds, boolean finished) {
    static final RunSnapshot BEFORE_THE_LOAD = new RunSnapshot(Map.of(), Map.of(), Map.of(), Map.of(), 0, Map.of(),
        Map.of(), RunObserver.BASELINE, false, 0, false);

    public RunSnapshot {
        requestsByVersion = Map.copyOf(requestsByVersion);
        failedByVersion = Map.copyOf(failedByVersion);
        failuresByCause = Map.copyOf(failuresByCause);
        generatorLimitedByCause = Map.copyOf(generatorLimitedByCause);
        latencyByVersion = Map.copyOf(latencyByVersion);
        replicasByVersion = Map.copyOf(replicasByVersion);
    }
}
