package dev.rolloutlab.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A kubeconfig file for one test, in place of {@code ~/.kube/config} (fabric8 reads the {@code kubeconfig} system
 * property as it reads {@code KUBECONFIG}), with every context pointing at {@code server}; closing it restores the
 * property and the cluster commands' client factory and allow file.
 */
final class Kubeconfig implements AutoCloseable {
    private final String previous = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    private final Function<Config, KubernetesClient> clients = ClusterOptions.clients;
    private final Path allowFile = ClusterOptions.allowFile;

    /** @param contexts the context names; the first is the current one */
    Kubeconfig(Path dir, String server, String... contexts) throws IOException {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\ncurrent-context: " + contexts[0]
            + "\nclusters: [ { name: c, cluster: { server: \"" + server + "\" } } ]\n"
            + "users: [ { name: me, user: { token: t } } ]\ncontexts:\n");
        for (String context : contexts) {
            yaml.append("  - { name: ").append(context).append(", context: { cluster: c, user: me } }\n");
        }
        Path file = Files.writeString(dir.resolve("kubeconfig"), yaml);
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, file.toString());
        ClusterOptions.allowFile = dir.resolve("allowed-contexts");
    }

    @Override
    public void close() {
        ClusterOptions.clients = clients;
        ClusterOptions.allowFile = allowFile;
        if (previous == null) {
            System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
        } else {
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, previous);
        }
    }
}
