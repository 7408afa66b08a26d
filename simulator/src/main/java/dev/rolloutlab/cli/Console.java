package dev.rolloutlab.cli;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.engine.Progress;
import dev.rolloutlab.reports.GateText;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.LatencyMs;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Scenario;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/** What {@code run} prints: a header, one progress line per period and a summary. */
final class Console {
    private Console() {
    }

    static String header(Scenario s, Path out) {
        String strategy = s.strategy() == null ? "load only" : "strategy " + s.strategy().type().yamlName();
        String target = s.load().target() != null ? s.load().target().toString()
            : s.service().replicas() + " " + s.platform() + " replicas of " + s.service().stable().version();
        String rate = s.load().ramps().isEmpty() ? s.load().rate().toString() : s.load().ramps().size() + " ramps";
        return String.format(Locale.ROOT, "rollout-lab: %s (%s) against %s, %s for %s; output %s", s.name(), strategy,
            target, rate, Durations.format(s.load().duration()), out);
    }

    /**
     * The events worth a line while the run goes on: where a cluster run works (its run id is what {@code cleanup
     * --run} takes), each stable pod turning ready until the load starts (image pulls can take minutes), and what
     * the platform could not do. Events arrive from several threads.
     */
    static final class Notices {
        private final int replicas;
        private boolean waitingForPods;
        private int ready;

        Notices(int replicas) {
            this.replicas = replicas;
        }

        synchronized Optional<String> of(Event e) {
            EventType type = e.kind();
            if (type == null) {
                return Optional.empty();
            }
            switch (type) {
                case KUBERNETES -> {
                    waitingForPods = true;
                    return Optional.of("rollout-lab: run " + e.detail().get("runId") + " in namespace "
                        + e.detail().get("namespace") + " on " + e.detail().get("server")
                        + "; waiting for the stable pods");
                }
                case REPLICA_READY -> {
                    return waitingForPods ? Optional.of("rollout-lab: stable pods ready " + ++ready + "/" + replicas)
                        : Optional.empty();
                }
                case WARMUP, LOAD_START -> waitingForPods = false;
                case GATE_ABORT -> {
                    return Optional.of(String.format(Locale.ROOT, "rollout-lab: gate %s breached at %.1f s (%s so far "
                        + "> max %s, abortOnFail): stopping the run", e.detail().get("metric"), e.t(),
                        number(e.detail().get("value")), number(e.detail().get("max"))));
                }
                case PLATFORM_ERROR -> {
                    return Optional.of("rollout-lab: platform error: " + e.detail().get("message"));
                }
                default -> {
                }
            }
            return Optional.empty();
        }
    }

    static String progressLine(Progress p) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%7.1fs / %.0fs  %7.0f rps  err %6.2f%%  p95 %s",
            p.elapsedSeconds(), p.durationSeconds(), p.rps(), 100 * p.errorRate(),
            p.p95Ms() == null ? "   -   " : String.format(Locale.ROOT, "%7.2f ms", p.p95Ms())));
        long known = p.byVersion().values().stream().mapToLong(Long::longValue).sum();
        for (Map.Entry<String, Long> e : p.byVersion().entrySet()) {
            b.append(String.format(Locale.ROOT, "  %s %.0f%%", e.getKey(), 100.0 * e.getValue() / known));
        }
        if (p.generatorLimited() > 0) {
            b.append(String.format(Locale.ROOT, "  ! GENERATOR-LIMITED %d requests (%.3f%%): not measured",
                p.generatorLimited(), 100 * p.limitedShare()));
        }
        if (p.lagging()) {
            b.append(String.format(Locale.ROOT, "  ! GENERATOR LAGGING %.0f ms: this machine cannot keep the rate",
                p.sendLagMs()));
        }
        return b.toString();
    }

    static String summary(RunResult r, Path out) {
        Metrics m = r.metrics();
        GeneratorStats g = r.generator();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n%s: %s (strategy %s, platform %s)%n", r.scenario(), r.outcome(),
            r.strategy(), r.platform()));
        b.append(String.format(Locale.ROOT, "  requests      %d, failed %d (%.2f%%); sent %.1f/s of %.1f/s planned%n",
            m.requests(), m.failedRequests(), 100 * m.errorRate(), g.achievedRate(), g.targetRate()));
        b.append(String.format(Locale.ROOT, "  downtime      %.3f s (longest outage %.3f s), degraded %.0f s%n",
            m.downtimeSeconds(), m.longestOutageSeconds(), m.degradedSeconds()));
        LatencyMs l = m.latencyMs();
        if (l.p50() != null) {
            b.append(String.format(Locale.ROOT, "  latency (ms)  p50 %.2f  p90 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                l.p50(), l.p90(), l.p95(), l.p99(), l.p999(), l.max()));
        }
        b.append("  by version    ").append(join(m.requestsByVersion())).append('\n');
        if (m.failedRequests() > 0) {
            var f = m.failuresByCause();
            b.append(String.format(Locale.ROOT, "  failures      refused %d, reset %d, timeout %d, 5xx %d, 4xx %d, other %d%n",
                f.refused(), f.reset(), f.timeout(), f.http5xx(), f.http4xx(), f.other()));
        }
        if (m.rollbackSeconds() != null) {
            b.append(String.format(Locale.ROOT, "  rollback      %.3f s to restore traffic%s%n", m.rollbackSeconds(),
                Boolean.FALSE.equals(m.trafficRestored()) ? " (NOT restored before the run ended)" : ""));
        }
        if (g.invalidReason() != null) {
            b.append(String.format(Locale.ROOT, "  INVALID       %s: no gate can pass on this measurement. Lower "
                + "load.rate, raise load.maxConnections, or give the generator more CPU.%n", g.invalidReason()));
        } else if (g.saturated()) {
            b.append(String.format(Locale.ROOT, "  WARNING       the load generator could not keep its schedule (max send "
                + "lag %.1f ms, %d requests dropped): latencies include this machine's lag; no failure was counted "
                + "for it. Lower load.rate or give the generator more CPU.%n", g.maxSendLagMs(), g.droppedRequests()));
        }
        for (GateResult gate : r.gates()) {
            b.append(String.format(Locale.ROOT, "  gate          %-24s %s %s%s%s%n", gate.metric(),
                gate.onOutcome() ? GateText.actual(gate) : gate.actual() == null ? "n/a" : fmt(gate.actual()),
                gate.onOutcome() ? "(" + GateText.bound(gate) + ")" : bounds(gate),
                gate.passed() ? "  passed" : "  FAILED", gate.reason() == null ? ""
                    : gate.reason().startsWith("invalid measurement") ? ": not measured (INVALID above)"
                    : ": " + gate.reason()));
        }
        b.append("  wrote         ").append(out.resolve("result.json")).append('\n');
        return b.toString();
    }

    private static String bounds(GateResult g) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        if (g.min() != null) {
            j.add("min " + fmt(g.min()));
        }
        if (g.max() != null) {
            j.add("max " + fmt(g.max()));
        }
        return j.toString();
    }

    private static String join(Map<String, Long> byVersion) {
        StringJoiner j = new StringJoiner(", ");
        byVersion.forEach((v, n) -> j.add(v + " " + n));
        return j.length() == 0 ? "-" : j.toString();
    }

    private static String number(Object v) {
        return v instanceof Number n ? fmt(n.doubleValue()) : String.valueOf(v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
            : String.format(Locale.ROOT, "%.4g", v);
    }
}
