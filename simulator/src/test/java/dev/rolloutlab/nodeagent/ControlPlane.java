package dev.rolloutlab.nodeagent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The loopback control plane of {@code kind-config/control-plane.sh}, for tests: whether its binaries are built,
 * whether it is up, and starting or stopping it. A test class starts it when it is down and stops it after only
 * then, so a plane someone else started stays up.
 */
public final class ControlPlane {
    /** Set (to anything) where the plane must be there, as in CI: its absence fails the tests instead of skipping them. */
    static final String REQUIRED = "ROLLOUT_LAB_CONTROLPLANE_REQUIRED";
    static final Path SCRIPT = Path.of("..", "kind-config", "control-plane.sh").toAbsolutePath().normalize();

    private ControlPlane() {
    }

    /**
     * The plane's status, once its binaries are known to be built; without them the calling tests are skipped, or
     * fail where {@value #REQUIRED} is set.
     */
    public static String requireBuilt() {
        String status = status();
        boolean built = status != null && built(status);
        if (!built && System.getenv(REQUIRED) != null) {
            throw new AssertionError("the control plane is not built (" + REQUIRED + " is set): "
                + "kind-config/control-plane.sh build");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(built,
            "the control plane is not built: kind-config/control-plane.sh build");
        return status;
    }

    /**
     * A test class's use of the plane: up (started here when it was down, see {@link #requireBuilt}), reached through
     * {@code kubeconfig}.
     */
    public record Session(Path kubeconfig, boolean startedHere) {
        /** The fabric8 configuration of the plane's kubeconfig. */
        public io.fabric8.kubernetes.client.Config clientConfig() throws IOException {
            return io.fabric8.kubernetes.client.Config.fromKubeconfig(null, Files.readString(kubeconfig),
                kubeconfig.toString());
        }

        /** Stops the plane if this session started it: one someone else started stays up. */
        public void end() throws IOException {
            if (startedHere) {
                stop();
            }
        }
    }

    /** The plane up, started now if it was down. */
    public static Session ensureUp() throws IOException {
        String status = requireBuilt();
        boolean start = !up(status);
        if (start) {
            start();
            status = status();
        }
        return new Session(kubeconfig(status), start);
    }

    /** {@code status} as the script prints it, {@code null} when the script cannot run here. */
    public static String status() {
        try {
            return run(List.of(SCRIPT.toString(), "status"), 30);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether {@code build} has been run: the binaries the plane runs exist. */
    static boolean built(String status) {
        String bin = field(status, "binaries");
        return bin != null && Files.isExecutable(Path.of(bin, "kube-apiserver"))
            && Files.isExecutable(Path.of(bin, "kube-controller-manager")) && Files.isExecutable(Path.of(bin, "etcd"));
    }

    public static boolean up(String status) {
        return status.lines().anyMatch(l -> l.startsWith("API /readyz") && l.trim().endsWith("ok"));
    }

    public static Path kubeconfig(String status) {
        String value = field(status, "kubeconfig");
        return Path.of(value.split(" ")[0]);
    }

    public static void start() throws IOException {
        run(List.of(SCRIPT.toString(), "up"), 180);
    }

    public static void stop() throws IOException {
        run(List.of(SCRIPT.toString(), "down"), 120);
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length()).trim())
            .findFirst().orElse(null);
    }

    private static String run(List<String> command, int seconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish in " + seconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command + " failed (" + p.exitValue() + "):\n" + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
