package dev.rolloutlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt before the measured load began — while the platform starts, or during the warm-up — is a result with
 * outcome aborted, the events so far and no request: never a lost run, never the warm-up's traffic as measured.
 */
class AbortedRunTest {
    @TempDir
    Path dir;

    @Test
    void anInterruptWhileReplicasStartIsAnAbortedResultWithoutRequests() throws Exception {
        RunResult r = abortWhen("""
            name: slow-start
            service: { replicas: 2, stable: { version: v1, behavior: { startupDelay: 30s } } }
            load: { rate: 100/s, duration: 10s, warmup: 0s }
            """, EventType.REPLICA_STARTED);

        assertThat(r.outcome()).isEqualTo("aborted");
        assertThat(r.metrics().requests()).isZero();
        assertThat(r.generator().achievedRate()).isZero();
        assertThat(r.events()).extracting(Event::type).contains("replica-started").endsWith("aborted")
            .doesNotContain("load-start");
    }

    @Test
    void anInterruptDuringTheWarmUpIsAnAbortedResultWithoutRequests() throws Exception {
        RunResult r = abortWhen("""
            name: warming
            service: { replicas: 2 }
            load: { rate: 100/s, duration: 10s, warmup: 20s }
            """, EventType.WARMUP);

        assertThat(r.outcome()).isEqualTo("aborted");
        assertThat(r.metrics().requests()).isZero();
        assertThat(r.generator().achievedRate()).isZero();
        assertThat(r.events()).extracting(Event::type).contains("warmup").endsWith("aborted")
            .doesNotContain("load-start");
    }

    /** Runs the scenario and aborts it as soon as an event of {@code type} happens. */
    private RunResult abortWhen(String yaml, EventType type) throws Exception {
        Run run = new Run(ScenarioLoader.load(Files.writeString(dir.resolve("s.yaml"), yaml)), Duration.ofSeconds(30),
            p -> { });
        run.onEvent(e -> {
            if (e.is(type)) {
                CompletableFuture.runAsync(run::abort);
            }
        });
        return CompletableFuture.supplyAsync(run::execute).get(60, TimeUnit.SECONDS);
    }
}
