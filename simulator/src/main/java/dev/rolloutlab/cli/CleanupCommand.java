package dev.rolloutlab.cli;

import dev.rolloutlab.platform.kubernetes.ContextGuard;
import dev.rolloutlab.platform.kubernetes.KubernetesClients;
import dev.rolloutlab.platform.kubernetes.RunObjectCleanup;
import dev.rolloutlab.platform.local.ProcessRecord;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rollout-lab cleanup}: deletes what runs left on a cluster (a run killed before it could tidy up): Chaos Mesh
 * objects, mesh and gateway routes, Deployments, Services and the namespaces runs created, all found by their
 * labels. The context must be allowed, as for a run.
 */
@Command(name = "cleanup", description = {"Deletes the objects rollout-lab runs left on a cluster, or with --local "
    + "the replica processes a killed local run left.",
    "Exit codes: 0 done, 2 bad input or a context that is not allowed, 3 cluster error."})
final class CleanupCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--run", paramLabel = "ID", required = true, description = "the objects of one run")
        String runId;

        @Option(names = "--all", required = true, description = "the objects of every run")
        boolean all;

        @Option(names = "--local", required = true, description = "the replica processes (service.command) of "
            + "local runs whose rollout-lab process was killed; no cluster is contacted")
        boolean local;
    }

    @Option(names = "--namespace", paramLabel = "NS", description = "only this namespace (default: all namespaces)")
    String namespace;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (which.local) {
            ProcessRecord.Cleaned cleaned = ProcessRecord.cleanUp();
            cleaned.groups().forEach(g -> out.printf("ended process group %d%n", g));
            out.printf("%d process group%s ended, %d record%s of killed runs removed%n", cleaned.groups().size(),
                cleaned.groups().size() == 1 ? "" : "s", cleaned.records(), cleaned.records() == 1 ? "" : "s");
            return Main.EXIT_OK;
        }
        KubernetesClient client = connect();
        try {
            RunObjectCleanup.Cleaned cleaned = RunObjectCleanup.delete(client, namespace, which.runId,
                RunObjectCleanup.Namespaces.LABELLED, r -> out.printf("deleted %s %s%n", r.getKind(),
                    r.getMetadata().getNamespace() == null ? r.getMetadata().getName()
                        : r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()));
            int deleted = cleaned.deleted();
            out.printf("%d object%s deleted%n", deleted, deleted == 1 ? "" : "s");
            cleaned.left().forEach(left -> spec.commandLine().getErr().println("rollout-lab: cleanup: not allowed to "
                + "clean up " + left));
            // What it was not allowed to see may still be there: not a clean bill.
            return cleaned.left().isEmpty() ? Main.EXIT_OK : Main.EXIT_RUN_FAILED;
        } catch (KubernetesClientException e) {
            throw new CouldNotFinish("rollout-lab: cleanup failed: " + e.getMessage().lines().findFirst().orElse(""),
                e);
        } finally {
            KubernetesClients.close(client);
        }
    }

    /** A client of the chosen context, or bad input naming the context and how to allow it. */
    private KubernetesClient connect() {
        try {
            return cluster.connect(null);
        } catch (ContextGuard.Refused e) {
            throw new BadInput("rollout-lab: cleanup: " + e.getMessage());
        }
    }
}
