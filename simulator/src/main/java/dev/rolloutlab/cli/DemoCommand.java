package dev.rolloutlab.cli;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Shares;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = DemoService.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--version", defaultValue = "v1", description = "Version reported in X-Version (default: ${DEFAULT-VALUE}).")
    String version;

    @Option(names = "--pod", description = "Name reported in X-Pod (default: demo-<pid>).")
    String pod;

    @Option(names = "--error-rate", defaultValue = "0", converter = ShareConverter.class,
        description = "Share of requests answered 500, e.g. 0.3 or 30%% (default: ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--latency", defaultValue = "0", converter = DurationConverter.class,
        description = "Service time added to every request, e.g. 20ms (default: ${DEFAULT-VALUE}).")
    Duration latency;

    @Option(names = "--startup-delay", defaultValue = "0", converter = DurationConverter.class,
        description = "Time before listening, e.g. 2s (default: ${DEFAULT-VALUE}).")
    Duration startupDelay;

    @Option(names = "--crash-after", converter = DurationConverter.class,
        description = "Exit with code 1 after running this long, e.g. 30s (default: never).")
    Duration crashAfter;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be within 0..65535, got " + port);
        }
        String podName = pod != null ? pod : "demo-" + ProcessHandle.current().pid();
        Behavior behavior = new Behavior(errorRate, latency, startupDelay, crashAfter);
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
            version, podName, Durations.format(crashAfter));
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

    /** Shares as scenario files write them ({@code 0.3}, {@code 30%}), so the CLI and the YAML accept the same text. */
    static final class ShareConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return Shares.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
