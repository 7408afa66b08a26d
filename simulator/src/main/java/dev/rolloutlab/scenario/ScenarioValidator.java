package dev.rolloutlab.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.result.Gate;
import dev.rolloutlab.reports.SeedClaims;
import dev.rolloutlab.result.GateMetrics;
import dev.rolloutlab.result.RunOutcome;
import dev.rolloutlab.measure.StatusSet;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks binding cannot make: ranges and how sections fit together (a rollout must start before the load ends,
 * a cell target needs cells); each strategy type checks its own keys ({@link StrategySpec#check}). It reports every
 * problem it finds.
 */
final class ScenarioValidator {
    /** The name becomes a folder under reports/out. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A Service name (RFC 1035 label): it must start with a letter. */
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /**
     * A version travels in a response header and names replicas: ASCII only, so that two versions never arrive as
     * the same bytes (non-ASCII is mangled on the wire) and no value can break a header line.
     */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,62}");
    /** An absolute URL path (RFC 3986 path characters and percent-escapes), with an optional query. */
    static final Pattern URL_PATH = Pattern.compile(
        "/(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*(?:\\?(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?");

    private final Scenario s;
    private final Problems problems;

    private ScenarioValidator(Scenario scenario, JsonNode tree) {
        this.s = scenario;
        this.problems = new Problems(tree);
    }

    static List<Problem> check(Scenario scenario, JsonNode tree) {
        ScenarioValidator v = new ScenarioValidator(scenario, tree);
        v.top();
        v.service();
        v.load();
        v.strategy();
        v.analysis();
        v.rollback();
        v.faults();
        v.kubernetes();
        v.metrics();
        return v.problems.list();
    }

    private void top() {
        if (s.name().length() > Limits.NAME_LENGTH) {
            error(KeyPath.of("name"), s.name().length() + " characters: a name names the report folder, at most "
                + Limits.NAME_LENGTH);
        } else if (!NAME.matcher(s.name()).matches()) {
            error(KeyPath.of("name"), "\"" + s.name() + "\" cannot name the report folder: use letters, digits, "
                + "'.', '_' and '-'" + (problems.written(KeyPath.of("name")) ? "" : " (it comes from the file name; set name:)"));
        }
        if (!Scenario.PLATFORMS.contains(s.platform())) {
            error(KeyPath.of("platform"), "unknown platform \"" + s.platform() + "\" (known: local, kubernetes)");
        }
        s.gates().forEach(this::gate);
        atLeastOne(KeyPath.of("outage", "minFailures"), s.outage().minFailures());
        count(KeyPath.of("repeat"), s.repeat(), Limits.REPEAT, "runs");
        double chance = s.outage().chance();
        if (!(chance > 0 && chance < 1)) {
            error(KeyPath.of("outage", "chance"), "must be between 0 and 1 (exclusive), e.g. 1e-9, got " + chance);
        }
        if (s.claims() == ClaimSource.SEED
            && (s.strategy() == null || SeedClaims.of(s.strategy().type().yamlName()) == null)) {
            misplaced(KeyPath.of("claims"), "the seed table has rows for recreate, rolling, blue-green and canary "
                + "only");
        }
    }

    /**
     * A gate's name and bounds: max/min on a metric, in/notIn on the outcome; abortOnFail only where a metric can be
     * judged while running, against its max.
     */
    private void gate(String name, Gate gate) {
        KeyPath p = KeyPath.of("gates", name);
        if (!GateMetrics.gateNames().contains(name)) {
            misplaced(p, "unknown gate metric (known: " + String.join(", ", GateMetrics.gateNames()) + ")");
            return;
        }
        if (GateMetrics.OUTCOME.equals(name)) {
            if (gate.max() != null || gate.min() != null) {
                error(p.child(gate.max() != null ? "max" : "min"), "the outcome is not a number: bound it with in: "
                    + "[...] or notIn: [...] (outcomes: " + RunOutcome.known() + ")");
            }
            if (gate.in() != null && gate.in().isEmpty() || gate.notIn() != null && gate.notIn().isEmpty()) {
                error(p.child(gate.in() != null && gate.in().isEmpty() ? "in" : "notIn"), "must name at least one "
                    + "outcome (" + RunOutcome.known() + ")");
            }
            if (gate.abortOnFail()) {
                error(p.child("abortOnFail"), "the outcome is known only at the end of the run");
            }
            if (problems.written(p.child("ifMissing"))) {
                error(p.child("ifMissing"), "a run always has an outcome");
            }
            return;
        }
        if (gate.onOutcome()) {
            error(p.child(gate.in() != null ? "in" : "notIn"), "only the outcome gate takes in / notIn; bound "
                + name + " with max and/or min");
        }
        if (gate.abortOnFail()) {
            if (!GateMetrics.live().contains(name)) {
                error(p.child("abortOnFail"), name + " is known only at the end of the run; abortOnFail takes a "
                    + "metric judged while running: " + String.join(", ", GateMetrics.live()));
            } else if (gate.max() == null) {
                error(p.child("abortOnFail"), "needs max: a run is stopped when the metric so far exceeds it (min is "
                    + "judged at the end)");
            }
        }
    }

    private void service() {
        Service sv = s.service();
        KeyPath p = KeyPath.of("service");
        atLeastOne(p.child("replicas"), sv.replicas());
        if (sv.command() != null && sv.command().isBlank()) {
            error(p.child("command"), "must not be empty; leave it out to run the demo service");
        }
        version(p.child("stable"), sv.stable());
        if (sv.candidate() != null) {
            version(p.child("candidate"), sv.candidate());
            if (sv.stable().version().equals(sv.candidate().version())) {
                error(p.child("candidate").child("version"), "\"" + sv.candidate().version() + "\" is also the "
                    + "stable version; the version header could not tell them apart");
            }
        }
        KeyPath readiness = p.child("readiness");
        if (!sv.readiness().path().startsWith("/")) {
            error(readiness.child("path"), "must start with /, got \"" + sv.readiness().path() + "\"");
        } else if (!URL_PATH.matcher(sv.readiness().path()).matches()) {
            error(readiness.child("path"), "\"" + sv.readiness().path() + "\" is not a URL path: escape spaces and "
                + "other characters as %XX, e.g. /health%20check");
        }
        within(readiness.child("period"), sv.readiness().period(), Limits.PROBE_PERIOD_MIN, Limits.LONGEST);
        atLeastOne(readiness.child("failureThreshold"), sv.readiness().failureThreshold());
        within(readiness.child("timeout"), sv.readiness().timeout(), Duration.ofMillis(1), Limits.LONGEST);
    }

    private void version(KeyPath p, VersionSpec spec) {
        if (spec.version() == null || spec.version().isBlank()) {
            error(p.child("version"), "required: the name this version reports in the version header, e.g. v2");
        } else if (!VERSION.matcher(spec.version()).matches()) {
            error(p.child("version"), "\"" + spec.version() + "\" cannot travel in the version header: use at most 63 "
                + "ASCII letters, digits, '.', '_', '+' and '-', starting with a letter or digit");
        } else if (s.platform().equals("kubernetes") && !LABEL_VALUE.matcher(spec.version()).matches()) {
            error(p.child("version"), "\"" + spec.version() + "\" cannot be a Kubernetes label value: use at most 63 "
                + "letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
        if (spec.image() != null && spec.image().isBlank()) {
            error(p.child("image"), "must not be empty; leave it out to run the demo image");
        }
        Duration crashAfter = spec.behavior().crashAfter();
        if (crashAfter != null && !isPositive(crashAfter)) {
            error(p.child("behavior").child("crashAfter"), "must be longer than 0s; leave it out for never");
        }
        spec.behavior().pathDelays().forEach((path, delay) -> {
            KeyPath at = p.child("behavior").child("pathDelays").child(path);
            if (!path.startsWith("/")) {
                misplaced(at, "\"" + path + "\" is not a path: a path starts with /");
            } else {
                within(at, delay, Duration.ZERO, Limits.TIMEOUT);
            }
        });
    }

    private void load() {
        Load load = s.load();
        KeyPath p = KeyPath.of("load");
        if (load == null) {
            error(p, "required: the traffic to drive, e.g. load: {rate: 100/s, duration: 60s}");
            return;
        }
        if (load.ramps().isEmpty()) {
            if (load.rate() == null) {
                error(p.child("rate"), "required (or ramps): the request rate, e.g. rate: 100/s");
            } else if (load.rate().perSecond() == 0) {
                error(p.child("rate"), "must be more than 0/s");
            } else {
                rate(p.child("rate"), load.rate().perSecond());
            }
        } else if (load.ramps().stream().allMatch(r -> r.rate().perSecond() == 0)) {
            error(p.child("ramps"), "every stage ramps to 0/s: the load would send nothing after the first");
        }
        for (int i = 0; i < load.ramps().size(); i++) {
            within(p.child("ramps").child(i).child("for"), load.ramps().get(i).duration(), Duration.ofNanos(1),
                Limits.LONGEST);
            rate(p.child("ramps").child(i).child("rate"), load.ramps().get(i).rate().perSecond());
        }
        if (load.duration() == null) {
            error(p.child("duration"), "required: how long the load runs, e.g. duration: 60s");
        } else if (within(p.child("duration"), load.duration(), Duration.ofNanos(1), Limits.LONGEST)
            && load.ramps().stream().allMatch(r -> r.duration().compareTo(Limits.LONGEST) <= 0)
            && load.duration().compareTo(load.rampsLength()) < 0) {
            error(p.child("duration"), Durations.format(load.duration()) + " is shorter than the ramps ("
                + Durations.format(load.rampsLength()) + " in all)");
        }
        count(p.child("users"), load.users(), Limits.USERS, "users (each user costs the recorder two bits)");
        boolean connections = count(p.child("connections"), load.connections(), Limits.CONNECTIONS, "connections");
        boolean maxConnections = count(p.child("maxConnections"), load.maxConnections(), Limits.CONNECTIONS,
            "connections");
        // Past a limit, the comparison would only repeat that error.
        if (connections && maxConnections && load.connections() > load.maxConnections()) {
            error(p.child("connections"), "keeps " + load.connections() + " connections open, more than "
                + "load.maxConnections (" + load.maxConnections() + ")");
        }
        atLeastOne(p.child("connectionReuse").child("maxRequests"), load.connectionReuse().maxRequests());
        positive(p.child("connectionReuse").child("maxAge"), load.connectionReuse().maxAge());
        if (within(p.child("timeout"), load.timeout(), Duration.ofMillis(1), Limits.TIMEOUT)
            && positive(p.child("maxSendLag"), load.maxSendLag())
            && load.maxSendLag().compareTo(load.timeout()) >= 0) {
            error(p.child("maxSendLag"), Durations.format(load.maxSendLag()) + " is not shorter than load.timeout ("
                + Durations.format(load.timeout()) + "): a request that late has already timed out");
        }
        if (load.success().isEmpty()) {
            error(p.child("success"), "needs at least one status, e.g. [2xx, 3xx]");
        }
        for (int i = 0; i < load.success().size(); i++) {
            try {
                StatusSet.parse(List.of(load.success().get(i)));
            } catch (IllegalArgumentException e) {
                error(p.child("success").child(i), e.getMessage());
            }
        }
        if (!HEADER_NAME.matcher(load.versionHeader()).matches()) {
            error(p.child("versionHeader"), "\"" + load.versionHeader() + "\" is not an HTTP header name");
        }
        if (load.stopAfter() != null) {
            if (s.strategy() == null) {
                misplaced(p.child("stopAfter"), "needs a strategy: the load stops a set time after the rollout's "
                    + "result");
            } else if (load.stopAfter().delay().compareTo(StopAfter.MIN_DELAY) < 0) {
                error(p.child("stopAfter").child(StopAfter.ROLLOUT), "must be at least "
                    + Durations.format(StopAfter.MIN_DELAY) + ": traffic restored needs a full second of traffic "
                    + "inside the run after the rollback");
            }
        }
        RequestMixChecks.check(load.requests(), p.child("requests"), s.source(), problems);
        if (load.target() != null && load.target().getPort() > 65535) {
            error(p.child("target"), "port " + load.target().getPort() + " does not exist (ports are 1-65535)");
        }
        if (load.target() != null) {
            String why = " with load.target: rollout-lab deploys nothing when the load goes to an external service";
            if (s.strategy() != null) {
                misplaced(KeyPath.of("strategy"), "cannot run" + why);
            }
            if (!s.faults().isEmpty()) {
                misplaced(KeyPath.of("faults"), "cannot be injected" + why);
            }
        }
    }

    /** The keys every strategy type takes, and how the strategy fits the scenario; the type checks its own keys. */
    private void strategy() {
        StrategySpec st = s.strategy();
        KeyPath p = KeyPath.of("strategy");
        if (st == null) {
            return;
        }
        if (s.service().candidate() == null) {
            error(KeyPath.of("service", "candidate"), "required by strategy " + st.type().yamlName()
                + ": the version it rolls out, e.g. candidate: {version: v2}");
        }
        beforeEnd(p.child("startAt"), st.startAt(), "the rollout would never start");
        routing(p.child("trafficRouting"), st.trafficRouting());
        positive(p.child("progressDeadline"), st.progressDeadline());
        st.check(s, p, problems);
    }

    private void routing(KeyPath p, String routing) {
        if (!StrategySpec.TRAFFIC_ROUTINGS.contains(routing)) {
            error(p, "unknown traffic routing \"" + routing + "\" (known: "
                + String.join(", ", StrategySpec.TRAFFIC_ROUTINGS) + ")");
        } else if (routing.equals("proxy") && s.platform().equals("kubernetes")) {
            error(p, "proxy is the local platform's reverse proxy; on kubernetes use replicas, istio or gatewayApi");
        } else if ((routing.equals("istio") || routing.equals("gatewayApi")) && s.platform().equals("local")) {
            error(p, routing + " needs platform: kubernetes; on the local platform use proxy or replicas");
        }
    }

    private void analysis() {
        Analysis a = s.analysis();
        KeyPath p = KeyPath.of("analysis");
        if (a == null) {
            return;
        }
        if (s.strategy() == null) {
            misplaced(p, "needs a strategy: analysis decides whether a rollout goes on or rolls back");
        }
        within(p.child("interval"), a.interval(), Limits.ANALYSIS_INTERVAL_MIN, Limits.LONGEST);
        if (a.rules().isEmpty()) {
            error(p.child("rules"), "needs at least one rule, e.g. - {metric: errorRate, max: 0.05}");
        }
        for (int i = 0; i < a.rules().size(); i++) {
            Rule r = a.rules().get(i);
            KeyPath rp = p.child("rules").child(i);
            if (r.metric() == null) {
                error(rp.child("metric"), "required (known: " + RuleMetric.known() + ")");
            } else if (!Rule.METRICS.contains(r.metric())) {
                error(rp.child("metric"), RuleMetric.unknown(r.metric()));
            } else if (r.max() != null && r.min() != null) {
                misplaced(rp.child("min"), "give max or min, not both: a rule bounds its metric on one side");
            } else if (r.max() == null && r.min() == null) {
                error(rp.child("max"), "required (or min): the bound whose breach rolls the rollout back");
            }
            if (!Rule.SCOPES.contains(r.scope())) {
                error(rp.child("scope"), "unknown scope \"" + r.scope() + "\" (known: " + String.join(", ", Rule.SCOPES) + ")");
            }
            positive(rp.child("for"), r.forDuration());
            if (r.within() != null && !"restarts".equals(r.metric())) {
                misplaced(rp.child("within"), "only restarts are counted over a window; other metrics hold for a time (for)");
            } else {
                positive(rp.child("within"), r.within());
            }
        }
    }

    private void rollback() {
        Rollback rb = s.rollback();
        KeyPath p = KeyPath.of("rollback");
        if (rb == null) {
            return;
        }
        if (s.strategy() == null) {
            misplaced(p, "needs a strategy: a scripted abort rolls a rollout back");
        } else if (rb.at().compareTo(s.strategy().startAt()) < 0) {
            error(p.child("at"), Durations.format(rb.at()) + " is before the rollout starts (strategy.startAt "
                + Durations.format(s.strategy().startAt()) + ")");
        }
        beforeEnd(p.child("at"), rb.at(), "the rollout would never be aborted");
    }

    private void faults() {
        StrategySpec st = s.strategy();
        for (int i = 0; i < s.faults().size(); i++) {
            Fault f = s.faults().get(i);
            KeyPath p = KeyPath.of("faults", i);
            f.problems().forEach((field, message) ->
                problems.add(new Problem(p.child(field), f.type() != null && !f.type().takes(field), message)));
            if (f.at() != null && within(p.child("at"), f.at(), Duration.ZERO, Limits.LONGEST)) {
                beforeEnd(p.child("at"), f.at(), "the fault would never be injected");
            }
            if (f.duration() != null) {
                within(p.child("duration"), f.duration(), Duration.ZERO, Limits.LONGEST);
            }
            Target target = f.target();
            if (target.isCell()) {
                if (!(st instanceof CellBasedSpec cellBased)) {
                    error(p.child("target"), target + " needs a cell-based strategy (strategy.type: cell-based)");
                } else if (cellBased.cells() != null && target.cell() > cellBased.cells()) {
                    error(p.child("target"), target + " does not exist: the strategy has " + cellBased.cells() + " cells");
                }
            } else if (target.equals(Target.CANDIDATE) && st == null) {
                error(p.child("target"), "a load-only run has no candidate to hit");
            }
            Duration probeTimeout = s.service().readiness().timeout();
            if (f.type() == FaultType.LATENCY && s.platform().equals("kubernetes") && f.delay() != null
                && probeTimeout != null
                && f.delay().plus(f.jitter() != null ? f.jitter() : Duration.ZERO).multipliedBy(2)
                    .compareTo(probeTimeout) >= 0) {
                // NetworkChaos delays every packet the pods send, the kubelet's probes included: a probe waits for
                // the connection's and the response's delayed packets, twice the delay.
                error(p.child("delay"), Durations.format(f.delay()) + (f.jitter() != null ? " ± "
                    + Durations.format(f.jitter()) : "") + " delays the kubelet's readiness probe too (about twice: "
                    + "its connection and its response), past service.readiness.timeout "
                    + Durations.format(probeTimeout) + ": the pods would go unready and leave the endpoints; raise "
                    + "service.readiness.timeout above twice the delay");
            }
            if (f.type() == FaultType.CPU_STRESS && s.platform().equals("local") && s.service().command() != null) {
                error(p.child("type"), "cpu-stress on the local platform slows the in-process demo replicas only; "
                    + "a service.command process cannot be slowed alone (busy threads would slow the load "
                    + "generator and the proxy on this machine too)");
            }
        }
    }

    private void kubernetes() {
        KeyPath p = KeyPath.of("kubernetes");
        Kubernetes k = s.kubernetes();
        if (s.platform().equals("kubernetes")) {
            KeyPath service = KeyPath.of("service");
            if (s.service().command() != null) {
                error(service.child("command"), "runs a process per replica on the local platform; on kubernetes "
                    + "give service.stable.image and service.candidate.image instead");
            }
            Readiness readiness = s.service().readiness();
            Termination termination = s.service().termination();
            wholeSeconds(service.child("readiness").child("period"), readiness.period(), "periodSeconds");
            wholeSeconds(service.child("readiness").child("timeout"), readiness.timeout(), "timeoutSeconds");
            wholeSeconds(service.child("termination").child("preStop"), termination.preStop(), "a preStop sleep");
            wholeSeconds(service.child("termination").child("gracePeriod"), termination.gracePeriod(),
                "terminationGracePeriodSeconds");
            if (!s.service().endpointLag().isZero()) {
                error(service.child("endpointLag"), "is simulated by the local platform; a kubernetes run measures "
                    + "the cluster's own endpoint propagation (leave it out)");
            }
            if (!SERVICE_NAME.matcher(s.name()).matches()) {
                error(KeyPath.of("name"), "\"" + s.name() + "\" names the Deployments and Services of a kubernetes "
                    + "run: use lower-case letters, digits and '-', starting with a letter (at most 63)");
            } else {
                KubernetesNames.derived(s).entrySet().stream().filter(n -> n.getKey().length() > KubernetesNames.MAX)
                    .findFirst().ifPresent(n -> error(KeyPath.of("name"), "\"" + n.getKey() + "\", " + n.getValue()
                        + ", would be " + n.getKey().length() + " characters; the API server allows "
                        + KubernetesNames.MAX + ": shorten the name"));
            }
        }
        if (k.namespace() != null && !DNS_LABEL.matcher(k.namespace()).matches()) {
            error(p.child("namespace"), "\"" + k.namespace() + "\" is not a namespace name (lower-case letters, digits "
                + "and '-', at most 63)");
        }
        if (k.image().isBlank()) {
            error(p.child("image"), "must not be empty");
        }
        if (k.nodePort() < 30000 || k.nodePort() > 32767) {
            error(p.child("nodePort"), "must be within 30000-32767 (the NodePort range), got " + k.nodePort());
        }
        URI url = k.serviceUrl();
        if (url != null && (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
            || url.getHost() == null)) {
            error(p.child("serviceUrl"), "must be an http:// or https:// URL with a host, got " + url);
        }
        String[] gateway = k.gateway().split("/", -1);
        if (gateway.length != 2 || !DNS_LABEL.matcher(gateway[0]).matches() || !DNS_LABEL.matcher(gateway[1]).matches()) {
            error(p.child("gateway"), "must be namespace/name, got \"" + k.gateway() + "\"");
        }
        positive(p.child("readyTimeout"), k.readyTimeout());
        positive(p.child("entryPointTimeout"), k.entryPointTimeout());
    }

    /** Kubernetes takes these in whole seconds: a fraction would be rounded up silently, and measured as written. */
    private void wholeSeconds(KeyPath p, Duration d, String field) {
        if (d.toNanos() % 1_000_000_000L != 0) {
            error(p, Durations.format(d) + " is not whole seconds, which Kubernetes counts " + field + " in (it would "
                + "become " + ((d.toNanos() + 999_999_999L) / 1_000_000_000L) + "s)");
        }
    }

    /** Checks that an instant counted from load start falls within the load, when the load's length is known. */
    private void beforeEnd(KeyPath p, Duration at, String otherwise) {
        Duration end = s.load() == null ? null : s.load().duration();
        if (end != null && at.compareTo(end) >= 0) {
            error(p, Durations.format(at) + " is not before the end of the load (load.duration "
                + Durations.format(end) + "): " + otherwise);
        }
    }

    /** A rate the generator can be asked for at all: beyond {@link Limits#RATE} it could only queue. */
    private void rate(KeyPath p, double perSecond) {
        if (perSecond > Limits.RATE) {
            error(p, String.format(java.util.Locale.ROOT, "%.0f/s is more than rollout-lab's limit of %d/s per run",
                perSecond, Limits.RATE));
        }
    }

    /** A count from 1 to {@code max}. */
    /** A count in [1, max]; false (with the error) when beyond max. */
    private boolean count(KeyPath p, int n, int max, String what) {
        atLeastOne(p, n);
        if (n > max) {
            error(p, n + " is more than the limit of " + max + " " + what);
            return false;
        }
        return true;
    }

    /** A duration in [min, max]; false (with the error) when outside. */
    private boolean within(KeyPath p, Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0) {
            error(p, min.isZero() ? "must not be negative" : !isPositive(d) ? "must be longer than 0s"
                : "must be at least " + Durations.format(min) + ", got " + Durations.format(d));
            return false;
        }
        if (d.compareTo(max) > 0) {
            error(p, "must be at most " + Durations.format(max) + ", got " + Durations.format(d));
            return false;
        }
        return true;
    }

    private boolean positive(KeyPath p, Duration d) {
        return problems.positive(p, d);
    }

    private void metrics() {
        MetricsExport m = s.metrics();
        if (m == null) {
            return;
        }
        if (m.port() < 0 || m.port() > 65535) {
            error(KeyPath.of("metrics", "port"), "must be a TCP port from 1 to 65535, or 0 for any free port, got "
                + m.port());
        }
        if (m.host().isBlank()) {
            error(KeyPath.of("metrics", "host"), "must name an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
        }
    }

    private void atLeastOne(KeyPath p, int n) {
        problems.atLeastOne(p, n);
    }

    private static boolean isPositive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    private void error(KeyPath p, String message) {
        problems.error(p, message);
    }

    private void misplaced(KeyPath p, String message) {
        problems.misplaced(p, message);
    }
}
