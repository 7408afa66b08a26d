package dev.rolloutlab.platform.kubernetes.objects;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Shares;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The demo image's command line, both ways: {@link #of} writes a pod's args as {@link RunObjectBuilder} puts them
 * after the image's entrypoint, {@link Options} reads them for {@code rollout-lab demo} and for the node agent that
 * runs the image in-process. One set of options, so a pod runs the behaviour its args say, whoever reads them.
 */
public final class DemoArgs {
    /** What the demo image's entrypoint passes before a pod's args ({@code rollout-lab demo --port 8080 ...}). */
    public static final List<String> ENTRYPOINT_ARGS = List.of("--port", Integer.toString(RunObjectBuilder.CONTAINER_PORT),
        "--host", "0.0.0.0");

    private DemoArgs() {
    }

    /** A pod's args for {@code version} with {@code b}; {@code $(POD)} is expanded by the kubelet from the env. */
    public static List<String> of(String version, Behavior b) {
        List<String> args = new ArrayList<>(List.of("--version", version, "--pod", "$(POD)"));
        if (b.errorRate() > 0) {
            args.addAll(List.of("--error-rate", Double.toString(b.errorRate())));
        }
        if (!b.latency().isZero()) {
            args.addAll(List.of("--latency", Durations.format(b.latency())));
        }
        if (!b.startupDelay().isZero()) {
            args.addAll(List.of("--startup-delay", Durations.format(b.startupDelay())));
        }
        if (b.crashAfter() != null) {
            args.addAll(List.of("--crash-after", Durations.format(b.crashAfter())));
        }
        b.pathDelays().forEach((path, delay) -> args.addAll(List.of("--path-delay",
            path + "=" + Durations.format(delay))));
        return args;
    }

    /**
     * Reads the image's entrypoint args followed by a pod's {@code args}, as the demo command would.
     *
     * @throws IllegalArgumentException with picocli's one-line reason when an arg is not the demo's
     */
    public static Options parse(List<String> podArgs) {
        List<String> all = new ArrayList<>(ENTRYPOINT_ARGS);
        all.addAll(podArgs);
        Parsed parsed = new Parsed();
        try {
            new CommandLine(parsed).parseArgs(all.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("demo args " + podArgs + ": " + e.getMessage(), e);
        }
        return parsed.options;
    }

    @Command(name = "demo")
    private static final class Parsed {
        @Mixin
        Options options = new Options();
    }

    /** The demo service's options: a picocli mixin of {@code rollout-lab demo}. */
    public static final class Options {
        @Option(names = "--port", defaultValue = "8080", description = "Port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
        public int port;

        @Option(names = "--host", defaultValue = DemoService.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}).")
        public String host;

        @Option(names = "--version", defaultValue = "v1", description = "Version reported in X-Version (default: ${DEFAULT-VALUE}).")
        public String version;

        @Option(names = "--pod", description = "Name reported in X-Pod (default: demo-<pid>).")
        public String pod;

        @Option(names = "--error-rate", defaultValue = "0", converter = ShareConverter.class,
            description = "Share of requests answered 500, e.g. 0.3 or 30%% (default: ${DEFAULT-VALUE}).")
        public double errorRate;

        @Option(names = "--latency", defaultValue = "0", converter = DurationConverter.class,
            description = "Service time added to every request, e.g. 20ms (default: ${DEFAULT-VALUE}).")
        public Duration latency;

        @Option(names = "--startup-delay", defaultValue = "0", converter = DurationConverter.class,
            description = "Time before listening, e.g. 2s (default: ${DEFAULT-VALUE}).")
        public Duration startupDelay;

        @Option(names = "--crash-after", converter = DurationConverter.class,
            description = "Exit with code 1 after running this long, e.g. 30s (default: never).")
        public Duration crashAfter;

        @Option(names = "--path-delay", converter = PathDelayConverter.class, paramLabel = "PATH=DURATION",
            description = "Service time added to requests for one path, e.g. /payments=50ms; repeatable.")
        public List<Map.Entry<String, Duration>> pathDelays = new ArrayList<>();

        public Behavior behavior() {
            Map<String, Duration> byPath = new TreeMap<>();
            pathDelays.forEach(e -> byPath.put(e.getKey(), e.getValue()));
            return new Behavior(errorRate, latency, startupDelay, crashAfter, byPath);
        }
    }

    /** Shares as scenario files write them ({@code 0.3}, {@code 30%}), so the CLI and the YAML accept the same text. */
    public static final class ShareConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return Shares.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code /path=duration}, as a scenario's {@code pathDelays} maps a path to a duration. */
    public static final class PathDelayConverter implements CommandLine.ITypeConverter<Map.Entry<String, Duration>> {
        @Override
        public Map.Entry<String, Duration> convert(String value) {
            int eq = value.lastIndexOf('=');
            if (eq < 1 || !value.startsWith("/")) {
                throw new CommandLine.TypeConversionException("expected PATH=DURATION such as /payments=50ms, got \""
                    + value + "\"");
            }
            return Map.entry(value.substring(0, eq), new DurationConverter().convert(value.substring(eq + 1)));
        }
    }

    /** Durations in the scenario format ({@code 250ms}, {@code 5s}). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
