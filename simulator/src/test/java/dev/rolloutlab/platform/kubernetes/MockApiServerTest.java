package dev.rolloutlab.platform.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The mock tears a closed watch down without stalling the requests its event loop serves, however busy the watch was.
 */
class MockApiServerTest {
    @Test
    void closingAWatchWhileItsEventsFlowStallsNoOtherRequest() throws Exception {
        try (MockApiServer server = MockApiServer.start()) {
            KubernetesClient client = server.client();
            client.pods().inNamespace("lab").resource(new PodBuilder().withNewMetadata().withName("p")
                .withNamespace("lab").endMetadata().build()).create();
            AtomicBoolean writing = new AtomicBoolean(true);
            // Events for every watch, all the time: the pod changes as fast as the mock takes it.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; writing.get(); i++) {
                    String n = String.valueOf(i);
                    client.pods().inNamespace("lab").withName("p").edit(p -> new PodBuilder(p).editMetadata()
                        .addToLabels("n", n).endMetadata().build());
                }
            });
            // Readers on connections of their own, so that some land on the event loop of each watch closed.
            List<KubernetesClient> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                readers.add(new KubernetesClientBuilder().withConfig(client.getConfiguration()).build());
            }
            long worst = 0;
            try {
                for (int round = 0; round < 40; round++) {
                    Watch watch = client.pods().inNamespace("lab").watch(new Watcher<Pod>() {
                        @Override
                        public void eventReceived(Action action, Pod pod) {
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                        }
                    });
                    Thread.sleep(30);
                    watch.close();
                    long start = System.nanoTime();
                    CompletableFuture.allOf(readers.stream().map(r -> CompletableFuture.runAsync(
                        () -> r.pods().inNamespace("lab").list())).toArray(CompletableFuture[]::new))
                        .get(60, TimeUnit.SECONDS);
                    worst = Math.max(worst, System.nanoTime() - start);
                }
            } finally {
                writing.set(false);
                writer.get(20, TimeUnit.SECONDS);
                readers.forEach(KubernetesClient::close);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).isLessThan(5000);
        }
    }
}
