package dev.rolloutlab.platform.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Set;

/**
 * fabric8's CRUD API server mock ({@code @EnableKubernetesMockClient(crud = true)}), with the end of a watch fixed.
 *
 * <p>The mock (8.0.0) sends each watch's events from an executor of the watch's own, and that sender waits up to
 * 30 s for every write to be done by the WebSocket's event loop. When the client closes the watch, the mock's
 * {@code onClosed} runs on that same event loop, shuts the executor down and waits for it to finish. With an event in
 * flight (pods changing while a run stops its pod informer, or a Chaos Mesh status watch ends), each waits for the
 * other until the sender gives up after 30 s, and meanwhile no other request that event loop serves is answered: a
 * run's cleanup GET timed out twice. And until {@code onClosed} has taken the watch out of those told about changes,
 * a write that changes what it watched is rejected by the shut-down executor, and that write is never answered.
 *
 * <p>Here a closed watch is first taken out of those told about changes (between two writes' notifications), then
 * {@code onClosed} runs off the event loop, which is then free to finish the write the sender waits for.
 */
public final class MockApiServer implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private MockApiServer() {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
            new Dispatcher(), false);
        server.init();
        client = server.createClient();
    }

    /** Starts a CRUD mock and a client of it. */
    public static MockApiServer start() {
        return new MockApiServer();
    }

    /** The mock underneath, e.g. for the requests it received. */
    public KubernetesMockServer mock() {
        return server;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Closes the client (its watches with it), then the server. */
    @Override
    public void close() {
        KubernetesClients.close(client);
        server.destroy();
    }

    private static final class Dispatcher extends KubernetesCrudDispatcher {
        /** The mock's watches that changes are sent to (its own field: it offers no way to take one out). */
        private final Set<?> watches = watches(this);
        /** Held while a change is sent to the watches, and to take one out. */
        private final Object notifying = new Object();

        @Override
        public MockResponse handleWatch(String path) {
            MockResponse response = super.handleWatch(path);
            return response.withWebSocketUpgrade(new Watch(response.getWebSocketListener()));
        }

        /** Every write the mock answers tells the watches here, holding its write lock. */
        @Override
        public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                                 GenericKubernetesResource resource, String newState) {
            synchronized (notifying) {
                super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
            }
        }

        private static Set<?> watches(KubernetesCrudDispatcher dispatcher) {
            try {
                Field field = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
                field.setAccessible(true);
                return (Set<?>) field.get(dispatcher);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the fabric8 mock changed: see MockApiServer", e);
            }
        }

        /** Sends no more changes to the watch, then ends it off the event loop. */
        private void end(WebSocketListener watch, Runnable end) {
            synchronized (notifying) {
                watches.remove(watch);
            }
            Thread thread = new Thread(end, "mock-watch-end");
            thread.setDaemon(true);
            thread.start();
        }

        /** The mock's watch, its blocking end ({@code onClosed}, {@code onFailure}) moved as {@link #end} does. */
        private final class Watch extends WebSocketListener {
            private final WebSocketListener watch;

            Watch(WebSocketListener watch) {
                this.watch = watch;
            }

            @Override
            public void onBeforeAccept(WebSocket webSocket, Response response) {
                watch.onBeforeAccept(webSocket, response);
            }

            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                watch.onOpen(webSocket, response);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                watch.onMessage(webSocket, text);
            }

            @Override
            public void onMessage(WebSocket webSocket, ByteString bytes) {
                watch.onMessage(webSocket, bytes);
            }

            @Override
            public void onMessage(WebSocket webSocket, byte[] bytes) {
                watch.onMessage(webSocket, bytes);
            }

            @Override
            public void onPing(WebSocket webSocket, byte[] bytes) {
                watch.onPing(webSocket, bytes);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                watch.onClosing(webSocket, code, reason);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                end(watch, () -> watch.onClosed(webSocket, code, reason));
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                end(watch, () -> watch.onFailure(webSocket, t, response));
            }
        }
    }
}
