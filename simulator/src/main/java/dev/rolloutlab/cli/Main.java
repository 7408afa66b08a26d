package dev.rolloutlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rollout-lab} command line. Exit codes: 0 gates passed, 1 a gate failed, 2 bad input, 3 run failed. */
@Command(name = "rollout-lab",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs deployment strategies under load and faults and measures what users felt.",
    subcommands = {RunCommand.class, CompareCommand.class, ValidateCommand.class, ReportCommand.class, DiffCommand.class,
        DemoCommand.class, BenchCommand.class, ManifestsCommand.class, CleanupCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_GATE_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_RUN_FAILED = 3;
    public static final int EXIT_INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Vert.x logs a reset of its own client request as SEVERE; the generator resets timed-out requests on purpose
     * and counts them. Held here so the logger and its level outlive garbage collection.
     */
    private static final java.util.logging.Logger CLIENT_REQUEST_LOG = quiet("io.vertx.core.http.impl.HttpClientRequestImpl");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.OFF);
        return logger;
    }

    public static void main(String[] args) {
        // The JDK reads its time-zone rules from a file on first use, and a class that failed to load them never
        // retries: read them now, before a load at the open-file limit could make that first use fail.
        java.time.zone.ZoneRulesProvider.getAvailableZoneIds();
        System.exit(execute(args));
    }

    /** Runs the command line without exiting, for tests. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line: bad options are bad input (exit 2, one line, no stack trace). */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("rollout-lab: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_BAD_INPUT;
        });
        // Anything unexpected is a failed run (3), never mistaken for a failed gate (1).
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("rollout-lab: failed: " + ex);
            if (System.getenv("ROLLOUT_LAB_DEBUG") != null) {
                ex.printStackTrace(c.getErr());
            } else {
                c.getErr().println("(set ROLLOUT_LAB_DEBUG=1 for the stack trace)");
            }
            return EXIT_RUN_FAILED;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rollout-lab " + (v == null ? "dev" : v)};
        }
    }
}
