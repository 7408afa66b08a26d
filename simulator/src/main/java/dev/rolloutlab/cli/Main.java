package dev.rolloutlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rollout-lab} command line. Exit codes: 0 gates passed, 1 a gate failed, 2 bad input, 3 the run (or the
 * command's work) failed, 130 interrupted; {@link ExitCodes} decides which one a command ends with.
 */
@Command(name = "rollout-lab",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs deployment strategies under load and faults and measures what users felt.",
    subcommands = {RunCommand.class, CompareCommand.class, ValidateCommand.class, ReportCommand.class, DiffCommand.class,
        DemoCommand.class, NodeAgentCommand.class, BenchCommand.class, ManifestsCommand.class, CleanupCommand.class, SchemaCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_GATE_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_RUN_FAILED = 3;
    public static final int EXIT_INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Vert.x logs as SEVERE a client request that fails before it was sent in full when nothing handles its
     * exception. The generator does not use Vert.x's client, but the local platform's proxy does, and it resets its
     * request to a replica when the caller's connection goes first (a request the generator timed out): should that
     * request still be in writing, the line would land amid the run's progress. Held here so the logger and its level
     * outlive garbage collection.
     */
    private static final java.util.logging.Logger CLIENT_REQUEST_LOG = quiet("io.vertx.core.http.impl.HttpClientRequestImpl");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.OFF);
        return logger;
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("run") || args[0].equals("compare"))) {
            Interrupts.install();
        }
        // The JDK reads its time-zone rules from a file on first use, and a class that failed to load them never
        // retries: read them now, before a load at the open-file limit could make that first use fail.
        java.time.zone.ZoneRulesProvider.getAvailableZoneIds();
        // Vert.x would otherwise make a vertx-cache-* folder in the temp directory per instance, for serving files
        // from the classpath, which rollout-lab never does; a killed run could not remove it.
        System.setProperty("vertx.disableFileCPResolving", "true");
        int code = withinMemory(() -> execute(args), System.err);
        Interrupts.exiting();
        System.exit(code);
    }

    /**
     * Runs {@code command}; running out of memory or stack ends on one line as "could not finish" (3), never as a
     * failed gate (1) or a stack trace: picocli passes errors through.
     */
    static int withinMemory(java.util.function.IntSupplier command, java.io.PrintStream err) {
        try {
            return command.getAsInt();
        } catch (OutOfMemoryError | StackOverflowError e) {
            err.println("rollout-lab: failed: " + (e instanceof OutOfMemoryError
                ? "out of memory (" + e.getMessage() + "); give the JVM more with JAVA_OPTS=-Xmx..., or lower the "
                    + "scenario's rate, users or duration"
                : "the input is nested too deeply (stack overflow)"));
            return EXIT_RUN_FAILED;
        }
    }

    /** Runs the command line without exiting, for tests. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The configured command line: every failure, of parsing or of a command, ends through {@link ExitCodes}, and
     * every command answers {@code -h}/{@code --help} (given here once rather than per command, where the standard
     * help options would also bring a {@code --version} that clashes with {@code demo --version}).
     */
    static CommandLine commandLine() {
        ExitCodes exitCodes = new ExitCodes();
        CommandLine cli = new CommandLine(new Main())
            .setParameterExceptionHandler(exitCodes)
            .setExecutionExceptionHandler(exitCodes)
            .setExitCodeExceptionMapper(exitCodes);
        for (CommandLine sub : cli.getSubcommands().values()) {
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            if (spec.findOption("--help") == null) {
                spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
            }
        }
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The Maven project version, written into {@code version.properties} when the build copies the resources. */
    static final class Version implements CommandLine.IVersionProvider {
        static final String RESOURCE = "version.properties";

        @Override
        public String[] getVersion() throws java.io.IOException {
            return new String[] {"rollout-lab " + version()};
        }

        static String version() throws java.io.IOException {
            java.util.Properties properties = new java.util.Properties();
            try (java.io.InputStream in = Main.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new java.io.FileNotFoundException(RESOURCE + " is missing from the build");
                }
                properties.load(in);
            }
            return properties.getProperty("version");
        }
    }
}
