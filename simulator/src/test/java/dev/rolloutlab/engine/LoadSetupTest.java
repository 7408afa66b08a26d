package dev.rolloutlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.clock.ManualClock;
import dev.rolloutlab.scenario.ConnectionReuse;
import dev.rolloutlab.scenario.Load;
import dev.rolloutlab.scenario.Rate;
import dev.rolloutlab.traffic.Generator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSetupTest {
    private static final URI TARGET = URI.create("http://127.0.0.1:8080/");

    /** A machine with more cores runs more lanes than a scenario may ask connections: each lane gets one. */
    @Test
    void fewerConnectionsThanLanesAreRaisedToTheLanes() {
        Generator.Config config = LoadSetup.generatorConfig(load(1), List.of(), TARGET, null, 4, new EventLog(new ManualClock()));

        assertThat(config.lanes()).isEqualTo(4);
        assertThat(config.connections()).isEqualTo(4);
    }

    @Test
    void aProxyCapBelowTheLanesLowersTheLanes() {
        Generator.Config config = LoadSetup.generatorConfig(load(1), List.of(), TARGET, 2, 4, new EventLog(new ManualClock()));

        assertThat(config.lanes()).isEqualTo(2);
        assertThat(config.connections()).isEqualTo(2);
        assertThat(config.maxConnections()).isEqualTo(2);
    }

    private static Load load(int connections) {
        return new Load(null, new Rate(100), List.of(), Duration.ofSeconds(10), 1000, connections,
            Duration.ofSeconds(2), List.of("2xx"), "X-Version", Load.DEFAULT_WARMUP, 10_000,
            ConnectionReuse.DEFAULT, Load.DEFAULT_MAX_SEND_LAG, Load.DEFAULT_MAX_GENERATOR_LIMITED, null, List.of());
    }
}
