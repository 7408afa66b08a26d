package dev.rolloutlab.cli;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.platform.kubernetes.objects.DemoArgs;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.scenario.Durations;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rollout-lab demo}: one demo-service replica as a process, for load against a hand-run deploy, for
 * {@code bench}, and as the container the Kubernetes manifests run. It exits only on a signal or a simulated crash.
 */
@Command(name = "demo",
    description = "Runs the demo service: one replica that answers with X-Version and X-Pod and fails as configured.",
    sortOptions = false)
public final class DemoCommand implements Callable<Integer> {
    // Only help: the top level's standard --version would clash with this command's --version option.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    DemoArgs.Options options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int port = options.port;
        String host = options.host;
        String version = options.version;
        Duration latency = options.latency;
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be within 0..65535, got " + port);
        }
        String podName = options.pod != null ? options.pod : "demo-" + ProcessHandle.current().pid();
        Behavior behavior = options.behavior();
        Vertx vertx = Vertx.vertx();
        DemoService service = new DemoService(vertx, host, port, version, podName, behavior);
        CompletableFuture<Integer> crashed = new CompletableFuture<>();
        service.onExit(crashed::complete);
        try {
            service.start().await();
        } catch (Exception e) {
            vertx.close().await();
            throw new CouldNotFinish(isBindFailure(e)
                ? "rollout-lab demo: port " + port + " is in use on " + host
                : "rollout-lab demo: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        // On SIGINT/SIGTERM, drain like a well-behaved pod: a request in flight needs at most the latency.
        Thread hook = new Thread(() -> {
            service.shutdown(latency.plusSeconds(1)).await();
            // Awaited apart: a future chained on the server's event loop never completes once close() stops that loop.
            vertx.close().await();
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().printf("demo %s (pod %s) listening on http://%s:%d/%n", version, podName, host, service.port());
        spec.commandLine().getOut().flush();

        int code = crashed.join();
        Runtime.getRuntime().removeShutdownHook(hook);
        spec.commandLine().getErr().printf("demo %s (pod %s) crashed after %s (--crash-after)%n",
            version, podName, Durations.format(options.crashAfter));
        vertx.close().await();
        return code;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }
}
