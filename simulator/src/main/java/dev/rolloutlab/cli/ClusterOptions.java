package dev.rolloutlab.cli;

import dev.rolloutlab.platform.kubernetes.ContextGuard;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import dev.rolloutlab.scenario.Scenario;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The options of every command that acts on a cluster, and the one way such a command gets a client. */
final class ClusterOptions {
    /** Builds the client for an allowed context; tests replace it. */
    static Function<Config, KubernetesClient> clients = config -> new KubernetesClientBuilder().withConfig(config).build();
    /** Extra allowed contexts; tests replace it. */
    static Path allowFile = ContextGuard.defaultAllowFile();

    @Option(names = "--context", paramLabel = "C",
        description = "kubeconfig context (default: kubernetes.context of the scenario, else the current one)")
    String context;

    @Option(names = "--allow-context", description = "act on a context whose name does not start with kind- "
        + "(or list it in ~/.config/rollout-lab/allowed-contexts)")
    boolean allowContext;

    /**
     * A client of the context the user chose, checked before any request is sent.
     *
     * @param fallback the scenario's {@code kubernetes.context}, used when {@code --context} is absent
     * @throws ContextGuard.Refused naming the context and how to allow it
     */
    KubernetesClient connect(String fallback) {
        Config config = ContextGuard.allowed(context != null ? context : fallback, allowContext, allowFile);
        return clients.apply(config);
    }

    /**
     * One client for the scenarios that deploy on a cluster, the first of them naming the context, or {@code null}
     * when none does (a local or load-only run needs none, and is never refused).
     *
     * @throws ContextGuard.Refused naming the context and how to allow it
     */
    KubernetesClient connectFor(List<Scenario> scenarios) {
        return scenarios.stream().filter(RunExecutor::deploysOnKubernetes).findFirst()
            .map(s -> connect(s.kubernetes().context())).orElse(null);
    }
}
