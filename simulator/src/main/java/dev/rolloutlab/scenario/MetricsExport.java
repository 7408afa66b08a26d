package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Live Prometheus metrics of the run, served on {@code http://host:port/metrics} from the start of the run to
 * {@code keepAfter} past its result (README, Live metrics).
 *
 * @param host      the address to listen on; loopback by default, so that a run exposes nothing to the network unasked
 * @param port      0 for any free port (printed at the start of the run)
 * @param keepAfter how long the final values stay served after the run's result is assembled: a Prometheus that
 *                  scrapes every 15 s needs up to 15 s to see them
 */
public record MetricsExport(String host, int port, Duration keepAfter) {
    static final String LOOPBACK = "127.0.0.1";
    /** The port registered for the Prometheus Java client's exporter. */
    static final int DEFAULT_PORT = 9464;

    @JsonCreator
    static MetricsExport fromYaml(@JsonProperty("host") String host, @JsonProperty("port") Integer port,
                                  @JsonProperty("keepAfter") Duration keepAfter) {
        return new MetricsExport(host != null ? host : LOOPBACK, port != null ? port : DEFAULT_PORT,
            keepAfter != null ? keepAfter : Duration.ZERO);
    }
}
