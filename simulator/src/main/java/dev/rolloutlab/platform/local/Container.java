package dev.rolloutlab.platform.local;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.clock.Clock;
import io.vertx.core.Future;
import io.vertx.core.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * The server inside one replica, started once on a given port: the in-process demo service, or the user's own
 * server as a process. A restart is a new container, as the kubelet starts a new one in the same pod.
 */
public interface Container {
    /**
     * Starts the server. {@code onExit} is called with the exit code when the server ends, whether on its own (a
     * crash, a port it cannot bind) or, for a process, after {@link #stop} or {@link #kill}; the replica tells these
     * apart by its own state.
     */
    void start(IntConsumer onExit);

    /** SIGTERM: stop accepting, let in-flight requests finish for up to {@code grace}, then kill. */
    Future<Void> stop(Duration grace);

    /** SIGKILL: every connection is reset, in-flight requests are lost. */
    Future<Void> kill();

    /** SIGSTOP ({@code frozen}) or SIGCONT: a frozen server answers nothing and keeps its connections open. */
    void freeze(boolean frozen);

    /** The demo service in this JVM: cheap enough for hundreds of replicas, with its behaviour dialled in. */
    final class InProcess implements Container {
        private final Context context;
        private final DemoService server;
        private final Clock clock;

        /**
         * @param context where the server runs: a Vert.x server serves every connection on the event loop it was
         *                started from
         */
        InProcess(Context context, int port, String version, String pod, Behavior behavior, Clock clock) {
            this(context, DemoService.DEFAULT_HOST, port, version, pod, behavior, clock);
        }

        /** @param host the address to listen on: the node agent gives each pod a loopback address of its own */
        public InProcess(Context context, String host, int port, String version, String pod, Behavior behavior,
                         Clock clock) {
            this.context = context;
            this.server = new DemoService(context.owner(), host, port, version, pod, behavior);
            this.clock = clock;
        }

        @Override
        public void start(IntConsumer onExit) {
            server.onExit(onExit::accept);
            // Failing to start is exiting: a port taken meanwhile, or a stop before the startup delay ended. The
            // failure arrives under the server's monitor, so it is passed on later, outside it.
            context.runOnContext(v -> server.start().onFailure(e ->
                clock.schedule(Duration.ZERO, () -> onExit.accept(DemoService.CRASH_EXIT_CODE))));
        }

        @Override
        public Future<Void> stop(Duration grace) {
            return server.shutdown(grace);
        }

        @Override
        public Future<Void> kill() {
            return server.stop();
        }

        /** See {@link DemoService#stress}. */
        void stress(double share) {
            server.stress(share);
        }

        /**
         * Nothing here: one server's threads cannot be stopped inside a shared JVM, so the platform freezes an
         * in-process replica from outside, holding its requests at the proxy and failing its probes.
         */
        @Override
        public void freeze(boolean frozen) {
        }
    }

    /**
     * {@code sh -c COMMAND} with {@code ${PORT}} replaced by the replica's port and {@code PORT}, {@code VERSION} and
     * {@code POD} in its environment. Signals go to the whole process tree, because {@code sh} may not exec the
     * server and would otherwise leave it running; a stop waits until every process of the tree has exited.
     *
     * <p>The command runs in a process group of its own beside a watchdog that ends the whole group once this tool's
     * process is gone, however it died (SIGKILL included): a killed run leaves no server listening. The group is
     * recorded ({@link ProcessRecord}) for {@code rollout-lab cleanup --local}, in case the watchdog was killed too.
     */
    final class OsProcess implements Container {
        /** What a shell answers when it cannot run a command. */
        private static final int CANNOT_RUN = 127;
        /**
         * The group leader: starts the command, then (TERM ignored from then on, so that it stays until the command
         * has drained and reports its exit code) a watchdog polling the tool's pid every 500 ms; once the tool is
         * gone, the watchdog kills the group. The command itself keeps the default signal handling.
         */
        private static final String WATCHED = "sh -c \"$ROLLOUT_LAB_COMMAND\" & c=$!; trap '' TERM; "
            + "( while kill -0 \"$" + ProcessRecord.TOOL_PID + "\" 2>/dev/null; do sleep 0.5; done; kill -KILL 0 ) & "
            + "w=$!; wait \"$c\"; code=$?; kill -KILL \"$w\" 2>/dev/null; exit \"$code\"";

        private final ProcessBuilder builder;
        private final Clock clock;
        private Process process;

        OsProcess(String command, int port, String version, String pod, Clock clock) {
            this(command, port, version, pod, java.util.Map.of(), clock);
        }

        /** @param env more environment, set before {@code PORT}, {@code VERSION} and {@code POD} (which win) */
        public OsProcess(String command, int port, String version, String pod, java.util.Map<String, String> env,
                         Clock clock) {
            this.clock = clock;
            builder = new ProcessBuilder("setsid", "sh", "-c", WATCHED)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("ROLLOUT_LAB_COMMAND", command.replace("${PORT}", Integer.toString(port)));
            builder.environment().put(ProcessRecord.TOOL_PID, Long.toString(ProcessHandle.current().pid()));
            builder.environment().putAll(env);
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().put("VERSION", version);
            builder.environment().put("POD", pod);
        }

        @Override
        public void start(IntConsumer onExit) {
            try {
                process = builder.start();
                long group = process.pid();
                ProcessRecord.started(group);
                process.onExit().thenAccept(p -> {
                    ProcessRecord.ended(group);
                    onExit.accept(p.exitValue());
                });
            } catch (IOException e) {
                clock.schedule(Duration.ZERO, () -> onExit.accept(CANNOT_RUN));
            }
        }

        @Override
        public Future<Void> stop(Duration grace) {
            List<ProcessHandle> tree = tree();
            tree.forEach(ProcessHandle::destroy);
            Clock.Cancellable force = clock.schedule(grace, () -> tree.forEach(ProcessHandle::destroyForcibly));
            return exited(tree).andThen(done -> force.cancel());
        }

        @Override
        public Future<Void> kill() {
            List<ProcessHandle> tree = tree();
            tree.forEach(ProcessHandle::destroyForcibly);
            return exited(tree);
        }

        /** Signals the whole tree and waits for {@code kill}, so a quick resume cannot overtake the stop. */
        @Override
        public void freeze(boolean frozen) {
            List<String> command = new ArrayList<>(List.of("kill", frozen ? "-STOP" : "-CONT"));
            tree().forEach(p -> command.add(Long.toString(p.pid())));
            if (command.size() == 2) {
                return;
            }
            try {
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot signal the replica's processes", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private List<ProcessHandle> tree() {
            return process == null ? List.of()
                : Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        }

        private static Future<Void> exited(List<ProcessHandle> tree) {
            return Future.fromCompletionStage(CompletableFuture.allOf(
                tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new)));
        }
    }
}
