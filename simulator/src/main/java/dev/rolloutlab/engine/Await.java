package dev.rolloutlab.engine;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The engine's one way to wait for an asynchronous step: a failure, a timeout or an interrupt is a RunFailure. */
final class Await {
    private Await() {
    }

    /** @param what what failed, e.g. "the local platform did not start" */
    static <T> T result(Future<T> future, Duration timeout, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RunFailure(what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new RunFailure(what + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure(what + ": interrupted", e);
        }
    }
}
