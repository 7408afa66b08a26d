package dev.rolloutlab.cli;

import dev.rolloutlab.chaos.mesh.ChaosMeshInjector;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rollout-lab cleanup}: deletes the Chaos Mesh objects runs left on a cluster (a run killed before it could
 * tidy up). Deleting is aimed at throwaway kind clusters, so any other kubeconfig context needs
 * {@code --allow-context}: a wrong current context must not touch a shared cluster.
 */
@Command(name = "cleanup", description = {"Deletes the Chaos Mesh objects rollout-lab runs left on a cluster.",
    "Exit codes: 0 done, 2 bad input or a context that is not kind-* without --allow-context, 3 cluster error."})
final class CleanupCommand implements Callable<Integer> {
    /** Builds the client for a kubeconfig context; tests replace it. */
    static Function<Config, KubernetesClient> clients = config -> new KubernetesClientBuilder().withConfig(config).build();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--run", paramLabel = "ID", required = true, description = "the objects of one run")
        String runId;

        @Option(names = "--all", required = true, description = "the objects of every run")
        boolean all;
    }

    @Option(names = "--context", paramLabel = "C", description = "kubeconfig context (default: the current one)")
    String context;

    @Option(names = "--namespace", paramLabel = "NS", description = "only this namespace (default: all namespaces)")
    String namespace;

    @Option(names = "--allow-context", description = "clean up a context whose name does not start with kind-")
    boolean allowContext;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (context != null && refused(context, err)) {
                return Main.EXIT_BAD_INPUT;
            }
            Config config = Config.autoConfigure(context);
            String name = config.getCurrentContext() == null ? null : config.getCurrentContext().getName();
            if (context == null && refused(name, err)) {
                return Main.EXIT_BAD_INPUT;
            }
            try (KubernetesClient client = clients.apply(config)) {
                int deleted = ChaosMeshInjector.cleanup(client, namespace, which.runId, r -> out.printf(
                    "deleted %s %s/%s%n", r.getKind(), r.getMetadata().getNamespace(), r.getMetadata().getName()));
                out.printf("%d object%s deleted%n", deleted, deleted == 1 ? "" : "s");
                return Main.EXIT_OK;
            }
        } catch (KubernetesClientException e) {
            err.println("rollout-lab: cleanup failed: " + e.getMessage().lines().findFirst().orElse(""));
            return Main.EXIT_RUN_FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private boolean refused(String contextName, PrintWriter err) {
        if (allowContext || contextName != null && contextName.startsWith("kind-")) {
            return false;
        }
        err.println("rollout-lab: cleanup: refusing " + (contextName == null ? "to run without a kubeconfig context"
            : "kubeconfig context \"" + contextName + "\": not a kind-* cluster")
            + "; pass --allow-context to clean it up anyway");
        return true;
    }
}
