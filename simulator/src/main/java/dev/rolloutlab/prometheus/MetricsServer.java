package dev.rolloutlab.prometheus;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/**
 * Serves a run's live metrics on {@code /metrics} (Prometheus text and OpenMetrics, by the scraper's Accept header).
 * A scrape reads the latest snapshot the run showed; it never reaches into the recorder itself.
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;
    private final String host;
    private volatile RunSnapshot shown = RunSnapshot.BEFORE_THE_LOAD;

    private MetricsServer(String host, int port, String scenario, String strategy) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new RunMetrics(scenario, strategy, () -> shown));
        this.host = host;
        this.server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    }

    /**
     * Listens on {@code host:port} (0: any free port).
     *
     * @param strategy the strategy's type, {@code none} for a load-only run
     * @throws IOException when the address cannot be bound (in use, not this machine's)
     */
    public static MetricsServer start(String host, int port, String scenario, String strategy) throws IOException {
        return new MetricsServer(host, port, scenario, strategy);
    }

    /** Where to scrape. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort() + "/metrics";
    }

    /** Serves {@code snapshot} from now on; once a finished one is shown, later live ones are ignored. */
    public synchronized void show(RunSnapshot snapshot) {
        if (!shown.finished()) {
            shown = snapshot;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
