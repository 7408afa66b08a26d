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
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/** What {@code run} prints: a header, the run's events as they happen, one progress line per period, a summary. */
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
     * The run told as it happens: where a cluster run works (its run id is what {@code cleanup --run} takes), each
     * stable pod turning ready until the load starts (image pulls can take minutes), every step of the rollout,
     * analysis verdicts, the rollback, faults and what the platform could not do, each on a line of its own with its
     * time since load start; and the progress line, which knows whether the platform lagged too. Events arrive from
     * several threads.
     */
    static final class Notices {
        /** A platform-lagging event this recent (seconds) is reported beside a late generator. */
        private static final double LAG_RECENT_SECONDS = 2;

        private final int replicas;
        private boolean waitingForPods;
        private int ready;
        private double platformLagAt = Double.NEGATIVE_INFINITY;
        private double platformLateMs;
        private boolean outage;
        /**
         * Until the load starts, event times count from set-up (they are rebased to load start later), and a
         * JIT-cold warm-up lags as a matter of course: the story begins with the load.
         */
        private boolean loadStarted;

        Notices(int replicas) {
            this.replicas = replicas;
        }

        synchronized Optional<String> of(Event e) {
            EventType type = e.kind();
            if (type == null) {
                return Optional.empty();
            }
            Map<String, Object> d = e.detail();
            switch (type) {
                case KUBERNETES -> {
                    waitingForPods = true;
                    return Optional.of("rollout-lab: run " + d.get("runId") + " in namespace " + d.get("namespace")
                        + " on " + d.get("server") + "; waiting for the stable pods");
                }
                case REPLICA_READY -> {
                    return waitingForPods ? Optional.of("rollout-lab: stable pods ready " + ++ready + "/" + replicas)
                        : Optional.empty();
                }
                case ENTRY_POINT -> {
                    waitingForPods = false;
                    return Optional.of("rollout-lab: waiting for " + d.get("url") + " to answer ("
                        + d.get("via") + ")");
                }
                case WARMUP -> waitingForPods = false;
                case GATE_ABORT -> {
                    return Optional.of(String.format(Locale.ROOT, "rollout-lab: gate %s breached at %.1f s (%s so far "
                        + "> max %s, abortOnFail): stopping the run", e.detail().get("metric"), e.t(),
                        number(e.detail().get("value")), number(e.detail().get("max"))));
                }
                case LOAD_START -> {
                    waitingForPods = false;
                    loadStarted = true;
                }
                case PLATFORM_ERROR -> {
                    return Optional.of("rollout-lab: platform error: " + d.get("message"));
                }
                case PLATFORM_LAGGING -> {
                    if (!loadStarted) {
                        return Optional.empty();
                    }
                    platformLagAt = e.t();
                    platformLateMs = number(d.get("lateMs"));
                    return at(e, "! platform lagging: its event loop " + d.get("loop") + " ran " + d.get("lateMs")
                        + " ms late (the in-process proxy and replicas share the CPUs with the generator; requests "
                        + "meanwhile carry the delay)");
                }
                default -> {
                    return loadStarted ? story(e, type, d) : Optional.empty();
                }
            }
            return Optional.empty();
        }

        /** The rollout's steps, the analysis' verdicts, the rollback and the faults. */
        private static Optional<String> story(Event e, EventType type, Map<String, Object> d) {
            String line = switch (type) {
                case ROLLOUT_START -> "rollout " + d.get("from") + " → " + d.get("to") + " (" + d.get("strategy") + ")";
                case SET_WEIGHT -> "weight " + d.get("weight") + "% to the candidate";
                case SWITCH -> "traffic switched to " + d.get("to");
                case SCALE -> "scale " + d.get("set") + " to " + d.get("replicas") + " replicas";
                case PAUSE, BAKE -> type.key() + " " + duration(d.get("duration"));
                case SCALE_DOWN_DELAY -> "the old version stays " + duration(d.get("duration")) + " before it is removed";
                case ABORT_SCALE_DOWN_DELAY -> "cleanup: the candidate is removed after " + duration(d.get("duration"))
                    + " (users are on stable already)";
                case AWAIT_PROMOTION -> "waiting for promotion";
                case PROMOTE -> "promote " + d.get("version");
                case DEPLOYMENT_UPDATE, ROLLING_UPDATE, RESTART -> type.key() + " " + d.getOrDefault("from", "") + " → "
                    + d.getOrDefault("to", "");
                case CELL_EXPOSED -> "cell " + d.get("cell") + " exposed to the candidate";
                case ANALYSIS -> d.get("rule") == null ? "analysis " + duration(d.get("duration"))
                    : "analysis: " + d.get("rule") + ": " + d.get("state") + value(d.get("value"));
                case ANALYSIS_FAILED -> "ANALYSIS FAILED: " + d.get("rule") + value(d.get("value"));
                case ROLLBACK -> "ROLLBACK decided" + (Boolean.TRUE.equals(d.get("afterPromotion"))
                    ? " after promotion (undo)" : "") + ": " + d.get("reason");
                case ROLLBACK_COMPLETE -> "rollback complete: the candidate is gone";
                case ROLLOUT_COMPLETE -> "promoted: the candidate serves all traffic";
                case ROLLOUT_FAILED -> "ROLLOUT FAILED: " + d.get("reason");
                case FAULT_START -> "fault " + d.get("type") + " on " + d.get("target")
                    + (d.get("duration") == null ? "" : " for " + duration(d.get("duration")));
                case FAULT_INJECTED -> "fault " + d.get("type") + " on " + d.get("target") + " injected (" + d.get("object")
                    + ")";
                case FAULT_FAILED -> "FAULT NOT INJECTED: " + d.get("type") + " on " + d.get("target") + ": "
                    + d.get("reason");
                case FAULT_END -> "fault over: " + d.get("type") + " on " + d.get("target");
                case REPLICA_CRASHED -> "replica " + d.get("pod") + " (" + d.get("version") + ") crashed";
                default -> null;
            };
            return line == null ? Optional.empty() : at(e, line);
        }

        /**
         * One progress line: rates, which version is failing, and, when the generator ran late, whether the
         * in-process platform lagged with it; an outage (every request of the last second failed) starts and ends
         * with a line of its own.
         */
        synchronized String progressLine(Progress p) {
            String line = Console.progressLine(p, p.elapsedSeconds() - platformLagAt <= LAG_RECENT_SECONDS
                ? platformLateMs : null);
            long requests = Math.round(p.rps());
            boolean down = requests > 0 && p.errorRate() >= 1;
            String change = down == outage ? "" : String.format(Locale.ROOT, "%7.2fs  ▸ %s%n", p.elapsedSeconds(),
                down ? "OUTAGE: every request of the last second failed (" + failing(p) + ")"
                    : "outage over: requests succeed again");
            outage = down;
            return change + line;
        }

        private static Optional<String> at(Event e, String line) {
            return Optional.of(String.format(Locale.ROOT, "%7.2fs  ▸ %s", e.t(), line));
        }

        private static String duration(Object seconds) {
            return seconds instanceof Number n ? Durations.format(Duration.ofNanos(Math.round(n.doubleValue() * 1e9)))
                : String.valueOf(seconds);
        }

        private static String value(Object v) {
            return v == null ? "" : " (" + v + ")";
        }

        private static double number(Object v) {
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    /** The progress line without knowing about the platform's lag. */
    static String progressLine(Progress p) {
        return progressLine(p, null);
    }

    /** @param platformLateMs how late the in-process platform's loops ran lately, or null when they did not */
    static String progressLine(Progress p, Double platformLateMs) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%7.1fs / %.0fs  %7.0f rps  err %6.2f%% "
                + "(failing: %s)  p95 %s", p.elapsedSeconds(), p.durationSeconds(), p.rps(), 100 * p.errorRate(),
            failing(p), p.p95Ms() == null ? "   -   " : String.format(Locale.ROOT, "%7.2f ms", p.p95Ms())));
        long known = p.byVersion().values().stream().mapToLong(Long::longValue).sum();
        for (Map.Entry<String, Long> e : p.byVersion().entrySet()) {
            b.append(String.format(Locale.ROOT, "  %s %.0f%%", e.getKey(), 100.0 * e.getValue() / known));
        }
        if (p.generatorLimited() > 0) {
            b.append(String.format(Locale.ROOT, "  ! GENERATOR-LIMITED %d requests (%.3f%%): not measured",
                p.generatorLimited(), 100 * p.limitedShare()));
        }
        if (p.lagging() && platformLateMs != null) {
            b.append(String.format(Locale.ROOT, "  ! GENERATOR %.0f ms LATE, PLATFORM %.0f ms LATE: the generator and "
                + "the in-process platform (proxy, replicas) share this machine's CPUs and neither keeps up; "
                + "`bench` measures the generator alone against a separate service", p.sendLagMs(), platformLateMs));
        } else if (p.lagging()) {
            b.append(String.format(Locale.ROOT, "  ! GENERATOR %.0f ms LATE: its event loop did not run on time on "
                + "this machine (CPUs shared with the in-process platform and other processes); requests it cannot "
                + "send on time are generator-limited, not the service's", p.sendLagMs()));
        }
        return b.toString();
    }

    /**
     * Which version the latest second's failures came from: {@code v2 94/94} (failed / served by it); failures that
     * reached no version under the version a proxy routed them to, or as {@code no version}; {@code none}.
     */
    static String failing(Progress p) {
        StringJoiner j = new StringJoiner(", ");
        Map<String, Long> routed = new TreeMap<>(p.routedFailedByVersion());
        long routedTotal = routed.values().stream().mapToLong(Long::longValue).sum();
        new TreeMap<>(p.failedByVersion()).forEach((version, failed) -> {
            if (!version.equals("unknown")) {
                j.add(version + " " + failed + "/" + p.byVersion().getOrDefault(version, failed));
            }
        });
        routed.forEach((version, failed) -> j.add(version + " " + failed + " at the proxy"));
        long unrouted = p.failedByVersion().getOrDefault("unknown", 0L) - routedTotal;
        if (unrouted > 0) {
            j.add("no version reached " + unrouted);
        }
        return j.length() == 0 ? "none" : j.toString();
    }

    private static String ms(Double ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.2f", ms);
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
        if (m.requestsByName().size() > 1) {
            int width = m.requestsByName().keySet().stream().mapToInt(String::length).max().orElse(0);
            m.requestsByName().forEach((name, n) -> b.append(String.format(Locale.ROOT,
                "  request       %-" + width + "s  %d, failed %d; p50 %s  p95 %s  p99 %s  max %s (ms)%n", name,
                n.requests(), n.failed(), ms(n.p50Ms()), ms(n.p95Ms()), ms(n.p99Ms()), ms(n.maxMs()))));
        }
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
