package dev.rolloutlab.platform.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClient;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Closing a fabric8 client so that nothing of it is left doing I/O when its Vert.x stops. */
public final class KubernetesClients {
    private static final long CLOSE_SECONDS = 10;

    private KubernetesClients() {
    }

    /**
     * Closes the client's HTTP and WebSocket connections and waits until they are closed, then the client (and with
     * it the Vert.x it made). fabric8 closes all three at once without waiting: an event loop of that Vert.x could stop
     * while a connection of another loop was still closing, and Netty logged {@code SEVERE: Failed to submit a
     * listener notification task. Event loop shut down?} with a stack trace after the run's summary. Watches and
     * informers are the caller's to stop first. {@code null} is no client.
     */
    public static void close(KubernetesClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.getHttpClient() instanceof Vertx5HttpClient<?> vertx) {
                await(vertx.getHttpClient().close());
                await(vertx.getWebSocketClient().close());
            }
        } finally {
            client.close();
        }
    }

    private static void await(Future<Void> closing) {
        try {
            closing.toCompletionStage().toCompletableFuture().get(CLOSE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Not closed cleanly or in time: the client closes what is left, as it would have anyway.
        }
    }
}
