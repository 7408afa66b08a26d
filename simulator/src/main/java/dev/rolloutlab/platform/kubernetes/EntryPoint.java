package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.clock.Clock;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Waits until the service's entry point from outside the cluster answers HTTP (any status: a 503 is a service that
 * answers). Pods that are ready say nothing of the path to them: a NodePort kind does not map, or a mesh's or
 * gateway's ingress that is not installed, would otherwise turn the whole run into refused requests, measured as
 * the service's downtime when it is the setup's fault.
 */
final class EntryPoint {
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration RETRY_AFTER = Duration.ofMillis(500);

    private final Clock clock;
    private HttpClient http;
    private final URI url;
    private final long deadlineNanos;
    private volatile boolean cancelled;

    /** @param patience how long the entry point may take to answer after the first attempt */
    EntryPoint(Clock clock, URI url, Duration patience) {
        this.clock = clock;
        this.url = url;
        this.deadlineNanos = clock.nanos() + patience.toNanos();
    }

    /**
     * Tries until an answer ({@code answered} runs) or the patience is spent ({@code gaveUp} gets the last failure,
     * e.g. "Connection refused"); neither runs once {@link #cancel}led.
     */
    void await(Runnable answered, Consumer<String> gaveUp) {
        if (http == null) { // here, not at construction: building the first client of a process blocks a while
            http = HttpClient.newBuilder().connectTimeout(ATTEMPT_TIMEOUT).version(HttpClient.Version.HTTP_1_1)
                .build();
        }
        HttpRequest get = HttpRequest.newBuilder(url).timeout(ATTEMPT_TIMEOUT).GET().build();
        http.sendAsync(get, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (cancelled) {
                return;
            }
            if (failure == null) {
                answered.run();
                return;
            }
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            if (clock.nanos() >= deadlineNanos) {
                gaveUp.accept(cause instanceof ConnectException ? "connection refused"
                    : cause instanceof HttpTimeoutException ? "no answer within " + ATTEMPT_TIMEOUT.toSeconds() + " s"
                    : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
            } else {
                clock.schedule(RETRY_AFTER, () -> await(answered, gaveUp));
            }
        });
    }

    void cancel() {
        cancelled = true;
    }
}
