package dev.rolloutlab.platform.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class KubernetesClientsTest {
    /**
     * A client used as a run uses it (requests, a watch and an informer, both stopped) and then closed logs nothing:
     * closed with {@code client.close()} alone, about every other one made Netty log a SEVERE stack trace ("Event loop
     * shut down?") as its Vert.x stopped.
     */
    @Test
    void aClosedClientLeavesNothingToLogAStackTraceWhenItsVertxStops() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    logged.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        try (MockApiServer server = MockApiServer.start()) {
            Logger.getLogger("").addHandler(capture);
            try {
                for (int i = 0; i < 8; i++) {
                    KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(server.client().getConfiguration()).build();
                    useAsARunDoes(client, "p" + i);
                    KubernetesClients.close(client);
                }
                Thread.sleep(1000); // the client's Vert.x stops in the background
            } finally {
                Logger.getLogger("").removeHandler(capture);
            }
        }
        assertThat(logged).isEmpty();
    }

    private static void useAsARunDoes(KubernetesClient client, String pod) {
        var pods = client.pods().inNamespace("lab");
        pods.resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace("lab").endMetadata().build())
            .create();
        var informer = pods.inform();
        Watch watch = pods.watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod p) {
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        for (int i = 0; i < 5; i++) {
            pods.list();
        }
        watch.close();
        informer.stop();
    }
}
