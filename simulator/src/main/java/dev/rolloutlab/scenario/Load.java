package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The open-model HTTP load: requests go out on schedule whether or not earlier ones returned.
 *
 * @param target        an external service (http or https) to load instead of a managed platform; {@code null}
 *                      for the platform's own entry point
 * @param rate          the constant rate, or with {@code ramps} the rate the first ramp starts from; {@code null}
 *                      when only ramps are given (they start from 0)
 * @param ramps         stages, each going linearly from the previous rate to its own; empty for a constant rate
 * @param duration      how long the load runs; default, with ramps, their total length
 * @param users         size of the user population requests are tagged with (default 1000)
 * @param connections   HTTP connections opened before the load starts (default 64); more are opened whenever a
 *                      request finds none free, up to {@code maxConnections}, and kept until their age is up
 * @param maxConnections connections open at once, at most (default 10,000, lowered to what the process's file limit
 *                      allows); a request that finds none free waits, and fails as generator-limited at its deadline
 * @param connectionReuse how many requests and how long one connection serves before it is closed
 * @param maxSendLag    a request sent later than this after its intended time, or answered while the generator's
 *                      event loop is this late, is generator-limited (default 50ms)
 * @param maxGeneratorLimited share of the planned requests the generator may fail to make on time before the
 *                      run's outcome is {@code invalid} (default 0.001)
 * @param timeout       per request (default 2s)
 * @param success       statuses that count as success: classes {@code Nxx} or codes (default 2xx, 3xx)
 * @param versionHeader response header that names the serving version (default {@code X-Version})
 * @param warmup        unrecorded load sent before time 0 (default 10s), so that neither the JIT-cold generator nor
 *                      a cold service path shows up as latency of the measured run; {@code 0} turns it off
 * @param stopAfter     ends the load a set time after the rollout's result is decided; null (the default) runs the
 *                      load for its whole {@code duration}
 * @param requests      the mix of requests, each kind drawn by its weight; empty (the default) for GETs of the
 *                      target's path
 */
public record Load(URI target, Rate rate, List<Ramp> ramps, Duration duration, int users, int connections,
                   Duration timeout, List<String> success, String versionHeader, Duration warmup, int maxConnections,
                   ConnectionReuse connectionReuse, Duration maxSendLag, double maxGeneratorLimited,
                   StopAfter stopAfter, List<RequestSpec> requests) {
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final Duration DEFAULT_MAX_SEND_LAG = Duration.ofMillis(50);
    public static final double DEFAULT_MAX_GENERATOR_LIMITED = 0.001;

    public Load {
        ramps = ramps == null ? List.of() : List.copyOf(ramps);
        success = success == null ? List.of() : List.copyOf(success);
        requests = requests == null ? List.of() : List.copyOf(requests);
    }

    @JsonCreator
    static Load fromYaml(@JsonProperty("target") URI target, @JsonProperty("rate") Rate rate,
                         @JsonProperty("ramps") List<Ramp> ramps, @JsonProperty("duration") Duration duration,
                         @JsonProperty("users") Integer users, @JsonProperty("connections") Integer connections,
                         @JsonProperty("timeout") Duration timeout, @JsonProperty("success") List<String> success,
                         @JsonProperty("versionHeader") String versionHeader,
                         @JsonProperty("warmup") Duration warmup,
                         @JsonProperty("maxConnections") Integer maxConnections,
                         @JsonProperty("connectionReuse") ConnectionReuse connectionReuse,
                         @JsonProperty("maxSendLag") Duration maxSendLag,
                         @JsonProperty("maxGeneratorLimited")
                         @JsonDeserialize(using = ScenarioBinder.ShareDeserializer.class) Double maxGeneratorLimited,
                         @JsonProperty("stopAfter") StopAfter stopAfter,
                         @JsonProperty("requests") List<RequestSpec> requests) {
        List<Ramp> stages = ramps != null ? ramps : List.of();
        return new Load(target, rate, stages, duration != null || stages.isEmpty() ? duration : total(stages),
            users != null ? users : 1000, connections != null ? connections : 64,
            timeout != null ? timeout : Duration.ofSeconds(2), success != null ? success : List.of("2xx", "3xx"),
            versionHeader != null ? versionHeader : "X-Version", warmup != null ? warmup : DEFAULT_WARMUP,
            maxConnections != null ? maxConnections : DEFAULT_MAX_CONNECTIONS,
            connectionReuse != null ? connectionReuse : ConnectionReuse.DEFAULT,
            maxSendLag != null ? maxSendLag : DEFAULT_MAX_SEND_LAG,
            maxGeneratorLimited != null ? maxGeneratorLimited : DEFAULT_MAX_GENERATOR_LIMITED, stopAfter, requests);
    }

    /** Total length of the ramps; zero without ramps. */
    public Duration rampsLength() {
        return total(ramps);
    }

    private static Duration total(List<Ramp> ramps) {
        return ramps.stream().map(Ramp::duration).reduce(Duration.ZERO, Duration::plus);
    }
}
