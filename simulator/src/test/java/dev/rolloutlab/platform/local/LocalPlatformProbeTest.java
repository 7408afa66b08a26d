package dev.rolloutlab.platform.local;

import static dev.rolloutlab.platform.local.PlatformFixture.await;
import static dev.rolloutlab.platform.local.PlatformFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.scenario.Readiness;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.Termination;
import dev.rolloutlab.scenario.VersionSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readiness probes: a timeout of their own, apart from the period; a platform that lags is not its replicas' fault. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalPlatformProbeTest {
    private static final ReplicaSet V1 = ReplicaSet.of("v1");
    private static final Duration PERIOD = Duration.ofMillis(50);
    /** The demo answers every path but /healthz after its latency: probing "/" makes a slow probe answer. */
    private static final Duration ANSWER = Duration.ofMillis(150);

    private static Service probedEvery(Duration period, Duration timeout, Duration answer) {
        return new Service(1, null, new VersionSpec("v1", new Behavior(0, answer, null, null)), null,
            new Readiness("/", period, 1, timeout), new Termination(Duration.ZERO, Duration.ofSeconds(2)),
            Duration.ZERO);
    }

    /** Completes once {@code d} has passed on the platform's clock. */
    private static Future<Void> elapsed(PlatformFixture f, Duration d) {
        Promise<Void> done = Promise.promise();
        f.clock.schedule(d, done::complete);
        return done.future();
    }

    @Test
    void aProbeAnsweredAfterThePeriodButWithinTheTimeoutPasses() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(probedEvery(PERIOD, ANSWER.multipliedBy(3), ANSWER));
            await(platform.start());
            await(elapsed(f, ANSWER.multipliedBy(5)));

            assertThat(platform.status(V1).ready()).isEqualTo(1);
            assertThat(f.events("replica-not-ready")).isEmpty();
            await(platform.stop());
        }
    }

    @Test
    void aProbeNotAnsweredWithinTheTimeoutFailsWhateverThePeriod() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(probedEvery(Duration.ofSeconds(10), ANSWER.dividedBy(3), ANSWER));
            Future<URI> started = platform.start();
            await(elapsed(f, ANSWER.multipliedBy(3)));

            assertThat(started.isComplete()).isFalse();
            assertThat(platform.status(V1).ready()).isZero();
            await(platform.stop());
        }
    }

    /**
     * Every event loop of the platform held up for 400 ms, as when the machine cannot keep up: probes time out
     * (timeout 50 ms) but no replica is taken out, and the log says the platform lagged, once for the episode.
     */
    @Test
    void aLaggingPlatformFailsNoProbeAndSaysSo() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(PlatformFixture.service(2));
            await(platform.start());
            long hold = TimeUnit.MILLISECONDS.toNanos(400);
            ((VertxInternal) f.vertx).nettyEventLoopGroup().forEach(loop -> loop.execute(
                () -> LockSupport.parkNanos(hold)));
            eventually(Duration.ofSeconds(5), () -> !f.events("platform-lagging").isEmpty());
            await(elapsed(f, PERIOD.multipliedBy(10)));

            assertThat(f.events("replica-not-ready")).isEmpty();
            assertThat(platform.status(V1).ready()).isEqualTo(2);
            Event lagging = f.events("platform-lagging").get(0);
            assertThat((Double) lagging.detail().get("lateMs")).isGreaterThan(LoopLag.BOUND.toMillis());
            assertThat(f.events("platform-lagging")).hasSize(1);
            await(platform.stop());
        }
    }
}
