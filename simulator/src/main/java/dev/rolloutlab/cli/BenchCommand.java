package dev.rolloutlab.cli;

import dev.rolloutlab.bench.Bench;
import dev.rolloutlab.bench.LocalPlatformBench;
import dev.rolloutlab.bench.RecorderBench;
import dev.rolloutlab.engine.LoadSetup;
import dev.rolloutlab.platform.kubernetes.objects.DemoArgs.DurationConverter;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", description = {
    "Measures the load generator, the recorder's memory or the local platform's capacity.",
    "By default: the highest rate the generator sustains open-model against a target, beside wrk's closed-loop "
        + "maximum on the same target (when wrk is on PATH). Without --target it starts `rollout-lab demo` in a "
        + "separate process on a free loopback port.",
    "With --recorder N it instead records N synthetic requests and reports the heap used (run with "
        + "JAVA_OPTS=-Xmx128m to check the recorder's constant memory).",
    "With --platform local it measures the embedded local platform instead: the highest rate it sustains "
        + "(--replicas demo replicas behind its proxy, in this process) and what the proxy adds to p50 and p99 "
        + "beside a direct connection to one replica, at 1000 and 10,000 requests/s."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--target", paramLabel = "URL", description = "an HTTP service on loopback to measure against")
    URI target;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "5s", converter = DurationConverter.class,
        description = "length of each trial (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--connections", defaultValue = "64", description = "connections, for wrk and the generator "
        + "(default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--wrk-threads", defaultValue = "2", description = "wrk threads, enough that wrk is not its own "
        + "limit (default ${DEFAULT-VALUE})")
    int wrkThreads;

    @Option(names = "--lanes", description = "event loops of the generator (default as in `run`: half the cores, "
        + "1 to 4)")
    int lanes = LoadSetup.GENERATOR_LANES;

    @Option(names = "--platform", paramLabel = "local", description = "measure the embedded local platform")
    String platform;

    @Option(names = "--replicas", defaultValue = "3", description = "with --platform local: demo replicas behind "
        + "the proxy (default ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "1s", converter = DurationConverter.class,
        description = "with --platform local: request timeout; each trial lasts at least 3 times it "
            + "(default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--from", paramLabel = "RATE", defaultValue = "4000", description = "with --platform local: "
        + "the rate the search starts at, per second (default ${DEFAULT-VALUE})")
    double from;

    @Option(names = "--recorder", paramLabel = "N", description = "record N synthetic requests at 10,000/s instead")
    Long recorderRequests;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (recorderRequests != null) {
            if (recorderRequests <= 0) {
                throw new BadInput("rollout-lab bench: --recorder must be > 0");
            }
            RecorderBench.Report r = RecorderBench.run(recorderRequests, 10_000);
            out.printf(Locale.ROOT, "recorder: %,d requests (%.1f h of run time at 10,000/s) in %.1f s (%.1f M/s), "
                    + "heap used after GC %.1f MB of max %.0f MB%n", r.requests(), r.runSeconds() / 3600,
                r.wallSeconds(), r.requestsPerSecond() / 1e6, r.heapUsedBytes() / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6);
            return Main.EXIT_OK;
        }
        if (platform != null) {
            return local(out);
        }
        if (target != null && !Bench.isLoopback(target)) {
            throw new BadInput("rollout-lab bench: --target must be on loopback (127.0.0.0/8 or localhost), got "
                + target);
        }
        Duration shortest = Bench.TRIAL_TIMEOUT.multipliedBy(3);
        if (duration.compareTo(shortest) < 0) {
            throw new BadInput("rollout-lab bench: --duration must be at least 3 request timeouts ("
                + shortest.toSeconds() + "s), got " + duration);
        }
        if (lanes < 1 || lanes > connections) {
            throw new BadInput("rollout-lab bench: --lanes must be within 1..--connections");
        }
        // The child JVM runs this command line's `demo`: bench, below the CLI, is told which class that is.
        boolean measured = new Bench(target, duration, connections, wrkThreads, lanes, Main.class.getName(), out).run();
        return measured ? Main.EXIT_OK : Main.EXIT_RUN_FAILED;
    }

    private int local(PrintWriter out) throws Exception {
        if (!"local".equals(platform)) {
            throw new BadInput("rollout-lab bench: --platform takes local (a cluster is measured with `run`), got "
                + platform);
        }
        if (target != null || recorderRequests != null) {
            throw new BadInput("rollout-lab bench: --platform local measures its own replicas; leave out --target "
                + "and --recorder");
        }
        if (replicas < 1 || lanes < 1 || lanes > connections || !(from >= 1)) {
            throw new BadInput("rollout-lab bench: need --replicas >= 1, 1 <= --lanes <= --connections and "
                + "--from >= 1");
        }
        if (timeout.isZero() || timeout.isNegative() || duration.compareTo(timeout.multipliedBy(3)) < 0) {
            throw new BadInput("rollout-lab bench: --duration must be at least 3 times --timeout ("
                + timeout.toMillis() + " ms), so that a backlog shows as timeouts within a trial");
        }
        new LocalPlatformBench(replicas, duration, timeout, connections, lanes, from, out).run();
        return Main.EXIT_OK;
    }
}
