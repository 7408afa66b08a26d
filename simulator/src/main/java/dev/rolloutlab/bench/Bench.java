package dev.rolloutlab.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Generator against wrk on the same target: wrk's closed-loop maximum, then the highest open-model rate the generator
 * sustains (see {@link GeneratorBench.Trial#sustained}: no queueing, no generator-limited request, the p99 latency
 * within ten times the unloaded one), found by stepping up and bisecting. Both share this machine's cores with the
 * target, so the more CPU-efficient client leaves the target more and reaches the higher rate.
 */
public final class Bench {
    private final URI target;
    private final Duration duration;
    private final int connections;
    private final int wrkThreads;
    private final int lanes;
    private final String demoMainClass;
    private final PrintWriter out;
    private Vertx vertx;
    private double unloadedP99Ms;

    /** The rate the unloaded latency is measured at: low enough that nothing queues. */
    static final double UNLOADED_RATE = 500;
    /** The request timeout of every trial. */
    public static final Duration TRIAL_TIMEOUT = GeneratorBench.TIMEOUT;

    /**
     * @param target        the service to measure against, or {@code null} to start a demo service in a child JVM
     * @param demoMainClass the class on this JVM's class path whose {@code main} runs {@code demo --port P} in that
     *                      child JVM: the command line's, named by the caller because bench sits below it
     */
    public Bench(URI target, Duration duration, int connections, int wrkThreads, int lanes, String demoMainClass,
                 PrintWriter out) {
        this.target = target;
        this.duration = duration;
        this.connections = connections;
        this.wrkThreads = wrkThreads;
        this.lanes = lanes;
        this.demoMainClass = demoMainClass;
        this.out = out;
    }

    public static boolean isLoopback(URI uri) {
        try {
            return uri.getHost() != null && InetAddress.getByName(uri.getHost()).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** @return whether there was anything to measure: false when the target answered nothing while unloaded */
    public boolean run() throws Exception {
        Process demo = null;
        URI url = target;
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(lanes));
        try {
            if (url == null) {
                int port = freePort();
                demo = startDemo(port);
                url = URI.create("http://127.0.0.1:" + port + "/");
                out.println("bench: started `rollout-lab demo` (pid " + demo.pid() + ") on " + url);
            }
            out.println("bench: warming up ...");
            out.flush();
            GeneratorBench.trial(vertx, url, 2000, connections, lanes, Duration.ofSeconds(2));
            GeneratorBench.Trial unloaded = GeneratorBench.trial(vertx, url, UNLOADED_RATE, connections, lanes,
                duration);
            if (unloaded.p99LatencyMs() == null) {
                out.println("bench: the target answered nothing at " + UNLOADED_RATE + "/s");
                return false;
            }
            unloadedP99Ms = unloaded.p99LatencyMs();
            out.printf(Locale.ROOT, "bench: unloaded p99 %.2f ms at %.0f/s; a sustained rate keeps p99 within %.2f ms%n",
                unloadedP99Ms, UNLOADED_RATE, GeneratorBench.MAX_LATENCY_GROWTH * unloadedP99Ms);
            Double wrk = null;
            if (Wrk.available()) {
                wrk = Wrk.maxRate(url, wrkThreads, connections, duration);
                out.printf(Locale.ROOT, "bench: wrk -t%d -c%d -d%ds: %.0f requests/s (closed loop)%n", wrkThreads,
                    connections, duration.toSeconds(), wrk);
            } else {
                out.println("bench: wrk is not on PATH; measuring the generator alone (apt-get install wrk)");
            }
            out.flush();
            double best = search(url, wrk == null ? 5000 : wrk * 0.3);
            out.printf(Locale.ROOT, "bench: generator sustains %.0f requests/s open-model (%d idle connections, %d "
                + "event loops)%n", best, connections, lanes);
            if (wrk != null) {
                out.printf(Locale.ROOT, "bench: ratio generator / wrk = %.2f (goal >= 1.0)%n", best / wrk);
            }
            return true;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (demo != null) {
                demo.destroy();
                demo.waitFor();
            }
        }
    }

    /**
     * Steps the rate up by 20 % while sustained, then bisects between the last good and first bad rate. Starting
     * low matters: an overloaded trial leaves the target busy with its backlog, which would spoil the next one.
     */
    private double search(URI url, double start) throws Exception {
        double good = 0;
        double bad = Double.NaN;
        double rate = start;
        while (Double.isNaN(bad)) {
            if (trial(url, rate)) {
                good = rate;
                rate *= 1.2;
            } else {
                bad = rate;
                if (good == 0) {
                    rate /= 2;
                    if (rate < 100) {
                        return 0;
                    }
                    bad = Double.NaN;
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            double mid = (good + bad) / 2;
            if (trial(url, mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }

    private boolean trial(URI url, double rate) throws Exception {
        Thread.sleep(1000); // let the target drain what the previous trial left
        GeneratorBench.Trial t = GeneratorBench.trial(vertx, url, rate, connections, lanes, duration);
        out.printf(Locale.ROOT, "bench:   %7.0f/s planned -> %7.0f/s sent, errors %.2f%%, p99 send lag %.1f ms, "
                + "generator-limited %d, p99 %s ms  %s%n", rate, t.achieved(), 100 * t.errorRate(), t.p99LagMs(),
            t.limited(), t.p99LatencyMs() == null ? "-" : String.format(Locale.ROOT, "%.2f", t.p99LatencyMs()),
            t.verdict(unloadedP99Ms));
        out.flush();
        return t.sustained(unloadedP99Ms);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process startDemo(int port) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), demoMainClass,
            "demo", "--port", String.valueOf(port))).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IOException("the demo process exited with " + p.exitValue());
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("the demo process did not listen on port " + port + " within 20 s");
    }
}
