package dev.rolloutlab.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rolloutlab.engine.Run;
import dev.rolloutlab.engine.RunFailure;
import dev.rolloutlab.prometheus.MetricsServer;
import dev.rolloutlab.reports.output.FolderLock;
import dev.rolloutlab.reports.output.RunFolder;
import dev.rolloutlab.reports.output.RunReports;
import dev.rolloutlab.result.RunInput;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.MetricsExport;
import dev.rolloutlab.scenario.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario for the CLI: progress lines, Ctrl-C / SIGTERM handling (stop the load, keep what was measured,
 * exit 130), the run's files (result.json and its reports), and the summary.
 */
final class RunExecutor {
    private RunExecutor() {
    }

    /** A scenario that deploys on a cluster (and so needs a client), rather than locally or not at all. */
    static boolean deploysOnKubernetes(Scenario scenario) {
        return "kubernetes".equals(scenario.platform()) && scenario.load().target() == null;
    }

    /**
     * Where a run writes: a folder given on the command line (an earlier run in it is named before it is replaced),
     * or a new folder named by the start time, with {@code latest} beside it pointing at it once the files are there.
     */
    record Output(Path dir, boolean linkLatest) {
        /** A folder given with {@code --out}, checked now; {@link #claim} it once the run is sure to start. */
        static Output given(Path dir) {
            writable(dir);
            return new Output(dir, false);
        }

        static Output timestamped(Path parent) {
            return new Output(RunFolder.timestamped(parent, Instant.now()), true);
        }

        /**
         * Checks, before anything runs, that the folder can take a run's files: a run whose files cannot be written
         * would lose its measurements at the end.
         *
         * @throws BadInput naming the folder or the file in the way
         */
        static void writable(Path dir) {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new BadInput("rollout-lab: --out " + dir + ": not a folder");
            }
            // Nothing is created yet: a run refused later (a context not allowed) leaves no empty folder behind.
            Path existing = dir.toAbsolutePath();
            while (!Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (!Files.isDirectory(existing)) {
                throw new BadInput("rollout-lab: --out " + dir + ": cannot create the folder: " + existing
                    + " is not a folder");
            }
            if (!Files.isWritable(existing)) {
                throw new BadInput("rollout-lab: --out " + dir + ": cannot create the folder: " + existing
                    + " is not writable");
            }
            for (String name : List.of(RunReports.RESULT_JSON, RunReports.SUMMARY_MD, RunReports.REPORT_HTML,
                RunReports.JUNIT_XML, RunReports.COMPARE_MD, RunReports.COMPARE_HTML)) {
                if (Files.isDirectory(dir.resolve(name))) {
                    throw new BadInput("rollout-lab: --out " + dir + ": " + name + " there is a folder, where the run "
                        + "writes a file");
                }
            }
        }

        /**
         * Locks a given folder for this command's runs (a timestamped folder is this run's own: null), then names an
         * earlier run whose files are replaced.
         *
         * @throws BadInput when another run writes there
         */
        FolderLock claim(PrintWriter err) {
            if (linkLatest) {
                return null;
            }
            FolderLock lock;
            try {
                lock = FolderLock.acquire(dir);
            } catch (FolderLock.Busy e) {
                throw new BadInput("rollout-lab: --out " + e.getMessage());
            }
            RunFolder.replacing(dir).ifPresent(message -> {
                err.println("rollout-lab: " + message);
                err.flush();
            });
            return lock;
        }

        /** Points latest at the folder, when it is a timestamped one; says so when it cannot. */
        void published(PrintWriter out) {
            if (linkLatest) {
                RunFolder.linkLatest(dir).ifPresent(message -> out.println("rollout-lab: " + message));
            }
        }
    }

    /**
     * @param kubernetes a client of an allowed context when {@link #deploysOnKubernetes}, else {@code null}
     * @param input      what the run was asked to do, recorded in result.json
     * @throws dev.rolloutlab.engine.RunFailure when the platform or the generator fails
     */
    static RunResult runAndWrite(Scenario scenario, KubernetesClient kubernetes, Output output, PrintWriter out,
                                 RunInput input) {
        Path dir = output.dir();
        boolean tty = System.console() != null;
        Console.Notices notices = new Console.Notices(scenario.service().replicas());
        Run run = new Run(scenario, kubernetes, tty ? Duration.ofSeconds(1) : Duration.ofSeconds(10),
            p -> out.println(notices.progressLine(p)));
        run.onEvent(e -> notices.of(e).ifPresent(line -> {
            out.println(line);
            out.flush();
        }));
        out.println(Console.header(scenario, dir));
        MetricsServer metrics = metricsServer(scenario);
        if (metrics != null) {
            run.showMetrics(metrics);
            out.println("  metrics       " + metrics.url());
        }
        out.flush();
        CountDownLatch written = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            run.abort();
            try {
                written.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            out.flush();
            Runtime.getRuntime().halt(Main.EXIT_INTERRUPTED);
        }, "rollout-lab-abort");
        Runtime.getRuntime().addShutdownHook(onSignal);
        Interrupts.runStarted();
        try {
            RunResult result = run.execute().withInput(input);
            List<Path> files = RunReports.writeAll(result, dir);
            output.published(out);
            // The summary ends naming result.json (written first); the reports follow it as a list.
            out.print(Console.summary(result, dir));
            files.subList(1, files.size()).forEach(f -> out.println("                " + f));
            out.flush();
            return result;
        } finally {
            written.countDown();
            if (metrics != null) {
                keepServing(metrics, scenario.metrics(), out);
                metrics.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
                Interrupts.runEnded();
            } catch (IllegalStateException shuttingDown) {
                // The hook is running; it exits once this thread is done.
            }
        }
    }

    /** The scenario's live metrics endpoint, listening before anything is deployed; null when it asks for none. */
    private static MetricsServer metricsServer(Scenario scenario) {
        MetricsExport m = scenario.metrics();
        if (m == null) {
            return null;
        }
        String strategy = scenario.strategy() == null ? "none" : scenario.strategy().type().yamlName();
        try {
            return MetricsServer.start(m.host(), m.port(), scenario.name(), strategy);
        } catch (IOException e) {
            throw new RunFailure("metrics: cannot listen on " + m.host() + ":" + m.port() + " (metrics.port, "
                + "metrics.host): " + e.getMessage(), e);
        }
    }

    /** Lets a scraper see the final totals ({@code metrics.keepAfter}); a signal ends the wait with the process. */
    private static void keepServing(MetricsServer metrics, MetricsExport m, PrintWriter out) {
        if (m.keepAfter().isZero()) {
            return;
        }
        out.println("rollout-lab: serving the final metrics on " + metrics.url() + " for "
            + Durations.format(m.keepAfter()));
        out.flush();
        try {
            Thread.sleep(m.keepAfter().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
