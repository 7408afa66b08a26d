package dev.rolloutlab.platform.local;

import static dev.rolloutlab.platform.local.PlatformFixture.await;
import static dev.rolloutlab.platform.local.PlatformFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.local.PlatformFixture.Reply;
import dev.rolloutlab.scenario.Readiness;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.Termination;
import dev.rolloutlab.scenario.VersionSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code service.command}: each replica is the demo service as a separate JVM, started through {@code sh -c}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalPlatformCommandTest {
    private static final String DEMO = "'" + ProcessHandle.current().info().command().orElse("java") + "'"
        + " -Xmx64m -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path") + "'"
        + " dev.rolloutlab.cli.Main demo --port ${PORT} --version ${VERSION} --pod ${POD}";

    @Test
    void commandReplicasAreProbedOverHttpRestartedWhenTheyExitAndNoneOutliveStop() throws Exception {
        Service service = new Service(2, DEMO, new VersionSpec("v1", null), null,
            new Readiness("/healthz", Duration.ofMillis(200), 2, Duration.ofMillis(200)), new Termination(Duration.ZERO, Duration.ofSeconds(5)),
            Duration.ZERO);
        ReplicaSet v1 = ReplicaSet.of("v1");
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = new LocalPlatform(f.vertx, service, f.clock, f.events, 16, 1,
                new CrashLoopBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
            List<ProcessHandle> running;
            try {
                URI url = await(platform.start());
                Reply reply = f.get(url, "1", null);
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.version()).isEqualTo("v1");
                assertThat(reply.pod()).isIn("v1-1", "v1-2");

                // A frozen server fails its probes and loses its endpoint after failureThreshold of them.
                signal("STOP", demoProcess("v1-2"));
                eventually(Duration.ofSeconds(5), () -> platform.status(v1).ready() == 1);
                assertThat(f.events("replica-not-ready")).extracting(e -> e.detail().get("pod"))
                    .containsExactly("v1-2");
                signal("CONT", demoProcess("v1-2"));
                eventually(Duration.ofSeconds(5), () -> platform.status(v1).ready() == 2);

                // The server exiting is a crash: the replica is restarted in place, not replaced.
                demoProcess("v1-1").destroyForcibly();
                eventually(Duration.ofSeconds(30), () -> platform.status(v1).restarts() == 1
                    && platform.status(v1).ready() == 2);
                assertThat(f.events("replica-crashed")).extracting(e -> e.detail().get("pod")).containsExactly("v1-1");
                assertThat(f.events("replica-started")).hasSize(2);

                // Scaling down sends SIGTERM, which the demo service handles by draining and exiting.
                ProcessHandle newest = demoProcess("v1-2");
                platform.scale(v1, 1);
                eventually(Duration.ofSeconds(10), () -> platform.status(v1).running() == 1);
                assertThat(newest.isAlive()).isFalse();
                assertThat(f.events("replica-terminated").get(0).detail())
                    .containsEntry("pod", "v1-2").containsEntry("reason", "deleted");

                running = ProcessHandle.current().descendants().toList();
                assertThat(running).contains(demoProcess("v1-1"));
            } finally {
                await(platform.stop());
            }
            assertThat(running).noneMatch(ProcessHandle::isAlive);
            assertThat(f.events("replica-terminated")).hasSize(2);
        }
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    /** The JVM of a replica (its {@code sh -c} parent's command line has {@code ${POD}} unexpanded). */
    /** The JVM serving {@code pod}: the innermost match, as {@code sh -c} may run it as a child, not exec it. */
    private static ProcessHandle demoProcess(String pod) {
        return ProcessHandle.current().descendants().filter(p -> isDemo(p, pod))
            .filter(p -> p.children().noneMatch(child -> isDemo(child, pod))).findFirst().orElseThrow();
    }

    private static boolean isDemo(ProcessHandle p, String pod) {
        String line = commandLine(p);
        return line.contains("Main demo") && line.endsWith("--pod " + pod);
    }

    /** The whole command line: ProcessHandle.Info truncates long ones, and a test classpath is long. */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()),
                "cmdline")), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (java.io.IOException gone) {
            return "";
        }
    }
}
