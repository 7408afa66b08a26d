package dev.rolloutlab.scenario;

import dev.rolloutlab.engine.LoadSetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.result.Gate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {
    private static final Path VALID = Path.of("src/test/resources/scenarios/valid");

    @TempDir
    Path dir;

    @Test
    void theDesignExampleBindsToWhatItSays() {
        Path file = VALID.resolve("full.yaml");
        Scenario s = ScenarioLoader.load(file);

        assertThat(s.name()).isEqualTo("canary-bad-release");
        assertThat(s.platform()).isEqualTo("local");
        assertThat(s.source()).isEqualTo(file);
        assertThat(s.loadOnly()).isFalse();

        Service sv = s.service();
        assertThat(sv.replicas()).isEqualTo(10);
        assertThat(sv.command()).isNull();
        assertThat(sv.stable()).isEqualTo(new VersionSpec("v1", Behavior.DEFAULT));
        assertThat(sv.candidate()).isEqualTo(new VersionSpec("v2",
            new Behavior(0.5, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(30))));
        assertThat(sv.readiness()).isEqualTo(new Readiness("/healthz", Duration.ofSeconds(1), 1, Duration.ofSeconds(1)));
        assertThat(sv.termination()).isEqualTo(new Termination(Duration.ZERO, Duration.ofSeconds(30)));
        assertThat(sv.endpointLag()).isZero();

        assertThat(s.load()).isEqualTo(new Load(null, new Rate(1000), List.of(), Duration.ofSeconds(60), 1000, 64,
            Duration.ofSeconds(2), List.of("2xx", "3xx"), "X-Version", Load.DEFAULT_WARMUP, 10_000,
            new ConnectionReuse(1000, Duration.ofSeconds(30)), Duration.ofMillis(50), 0.001, null, List.of()));

        StrategySpec st = s.strategy();
        assertThat(st.type()).isEqualTo(StrategyType.CANARY);
        assertThat(st).as("a canary carries no settings of another type").isEqualTo(new CanarySpec(
            Duration.ofSeconds(10), "proxy", Duration.ofMinutes(10),
            List.of(new Step(10, null, null), new Step(null, Duration.ofSeconds(20), null), new Step(50, null, null),
                new Step(null, Duration.ofSeconds(20), null)),
            Duration.ofSeconds(30)));

        assertThat(s.analysis().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.analysis().rules()).containsExactly(
            new Rule("errorRate", "candidate", 0.05, null, Duration.ofSeconds(2), null),
            new Rule("latencyP95", "candidate", 500.0, null, Duration.ofSeconds(5), null),
            new Rule("restarts", "candidate", 3.0, null, null, Duration.ofMinutes(5)),
            new Rule("healthCheckFailures", "candidate", 0.5, null, null, null),
            new Rule("throughputRatio", "all", null, 0.9, Duration.ofSeconds(10), null));
        assertThat(s.rollback()).isEqualTo(new Rollback(Duration.ofSeconds(30)));

        assertThat(s.faults()).containsExactly(
            new Fault(Duration.ofSeconds(15), FaultType.OUTAGE, Target.ALL, Duration.ofMillis(1500), null, null, null, null),
            new Fault(Duration.ofSeconds(20), FaultType.KILL, Target.CANDIDATE, null, 1, null, null, null),
            new Fault(Duration.ofSeconds(25), FaultType.LATENCY, Target.STABLE, Duration.ofSeconds(10), null, null,
                Duration.ofMillis(100), null),
            new Fault(Duration.ofSeconds(25), FaultType.ERRORS, Target.ALL, Duration.ofSeconds(10), null, 0.3, null, null),
            new Fault(Duration.ofSeconds(40), FaultType.PAUSE, Target.STABLE, Duration.ofSeconds(2), 1, null, null, null),
            new Fault(Duration.ofSeconds(40), FaultType.PARTITION, Target.CANDIDATE, Duration.ofSeconds(10), null, null,
                null, null));

        assertThat(s.gates()).containsExactly(
            java.util.Map.entry("downtimeSeconds", new Gate(0.0, null)),
            java.util.Map.entry("rollbackSeconds", new Gate(1.0, null)),
            java.util.Map.entry("failedRequestShare", new Gate(0.01, null)));
        assertThat(s.slo()).isEqualTo(new Slo(0.01));
        assertThat(s.outage()).isEqualTo(new OutagePolicy(5, 1e-9));
    }

    @Test
    void aLoadAloneTakesEveryDefault() {
        Scenario s = ScenarioLoader.load(VALID.resolve("minimal.yaml"));

        assertThat(s.name()).isEqualTo("minimal");
        assertThat(s.platform()).isEqualTo("local");
        assertThat(s.loadOnly()).isTrue();
        assertThat(s.service()).isEqualTo(new Service(3, null, new VersionSpec("v1", Behavior.DEFAULT), null,
            new Readiness("/healthz", Duration.ofSeconds(1), 1, Duration.ofSeconds(1)), new Termination(Duration.ZERO, Duration.ofSeconds(30)),
            Duration.ZERO));
        assertThat(s.load()).isEqualTo(new Load(null, new Rate(100), List.of(), Duration.ofSeconds(10), 1000, 64,
            Duration.ofSeconds(2), List.of("2xx", "3xx"), "X-Version", Load.DEFAULT_WARMUP, 10_000,
            new ConnectionReuse(1000, Duration.ofSeconds(30)), Duration.ofMillis(50), 0.001, null, List.of()));
        assertThat(s.analysis()).isNull();
        assertThat(s.rollback()).isNull();
        assertThat(s.faults()).isEmpty();
        assertThat(s.gates()).isEmpty();
        assertThat(s.slo().errorRate()).isEqualTo(0.01);
        assertThat(s.outage().minFailures()).isEqualTo(5);
        assertThat(s.outage().chance()).isEqualTo(1e-9);
    }

    @Test
    void eachStrategyTypeGetsItsOwnDefaultsOnly() throws IOException {
        String base = "load: {rate: 10/s, duration: 1m}\nservice: {candidate: {version: v2}}\nstrategy: %s\n";

        // Records of one type each: a rolling update has no steps or preview, a blue-green no maxSurge.
        assertThat(load(base.formatted("{type: rolling}")).strategy()).isEqualTo(new RollingSpec(Duration.ofSeconds(5),
            "proxy", Duration.ofMinutes(10), new IntOrPercent(25, true), new IntOrPercent(25, true)));
        assertThat(load(base.formatted("{type: blue-green}")).strategy()).isEqualTo(new BlueGreenSpec(
            Duration.ofSeconds(5), "proxy", Duration.ofMinutes(10), Duration.ZERO, true, Duration.ofSeconds(30)));
        assertThat(load(base.formatted("{type: cell-based, cells: 3}")).strategy()).isEqualTo(new CellBasedSpec(
            Duration.ofSeconds(5), "proxy", Duration.ofMinutes(10), 3, Duration.ofSeconds(10)));

        Scenario onKubernetes = load("platform: kubernetes\n" + base.formatted("{type: recreate}"));
        assertThat(onKubernetes.strategy().trafficRouting()).isEqualTo("replicas");
    }

    @Test
    void stopAfterAndPostPromotionAreOffByDefaultAndTakeAWordOrADuration() throws IOException {
        String base = "load: {rate: 10/s, duration: 1m%s}\nservice: {candidate: {version: v2}}\n"
            + "strategy: {type: rolling}\nanalysis: {rules: [{metric: errorRate, max: 0.05}]%s}\n";

        Scenario defaults = load(base.formatted("", ""));
        assertThat(defaults.load().stopAfter()).isNull();
        assertThat(defaults.analysis().postPromotion()).isZero();
        assertThat(load(base.formatted(", stopAfter: rollout", "")).load().stopAfter())
            .isEqualTo(new StopAfter(StopAfter.DEFAULT_DELAY));
        Scenario set = load(base.formatted(", stopAfter: {rollout: 10s}", ", postPromotion: 30s"));
        assertThat(set.load().stopAfter()).isEqualTo(new StopAfter(Duration.ofSeconds(10)));
        assertThat(set.analysis().postPromotion()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rampsDefaultTheDurationAndPlanALinearRate() {
        Scenario s = ScenarioLoader.load(VALID.resolve("ramps.yaml"));
        Load load = s.load();

        assertThat(load.ramps()).containsExactly(new Ramp(new Rate(300), Duration.ofSeconds(10)),
            new Ramp(new Rate(300), Duration.ofSeconds(5)), new Ramp(new Rate(0), Duration.ofSeconds(5)));
        assertThat(load.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(LoadSetup.plan(load).rateAt(0)).isEqualTo(100);
        assertThat(LoadSetup.plan(load).rateAt(5)).isCloseTo(200, within(1e-9));
        assertThat(LoadSetup.plan(load).rateAt(12)).isEqualTo(300);
        assertThat(LoadSetup.plan(load).rateAt(17.5)).isCloseTo(150, within(1e-9));
        assertThat(LoadSetup.plan(load).rateAt(25)).isZero();
        assertThat(s.service().candidate().behavior().errorRate()).isEqualTo(0.02);
        assertThat(((RollingUpdateSpec) s.strategy()).maxSurge().resolve(3, true)).isEqualTo(1);
    }

    @Test
    void rampsWithoutAStartRateBeginAtZeroAndAConstantRateHolds() throws IOException {
        Load ramped = load("load: {ramps: [{rate: 100/s, for: 10s}], duration: 30s}").load();
        assertThat(LoadSetup.plan(ramped).rateAt(0)).isZero();
        assertThat(LoadSetup.plan(ramped).rateAt(2.5)).isCloseTo(25, within(1e-9));
        assertThat(LoadSetup.plan(ramped).rateAt(29)).isEqualTo(100);

        Load constant = load("load: {rate: 600/m, duration: 30s}").load();
        assertThat(LoadSetup.plan(constant).rateAt(0)).isEqualTo(10);
        assertThat(LoadSetup.plan(constant).rateAt(29)).isEqualTo(10);
    }

    @Test
    void setOverridesApplyBeforeBindingAndCreateMissingSections() {
        Scenario s = ScenarioLoader.load(VALID.resolve("full.yaml"), List.of(
            "load.rate=500/s", "service.replicas=4", "rollback.at=45s", "faults.1.count=2",
            "gates.downtimeSeconds.max=0.5", "strategy.steps=[{setWeight: 100}]", "name=", "slo.errorRate=5%"));

        assertThat(s.load().rate()).isEqualTo(new Rate(500));
        assertThat(s.service().replicas()).isEqualTo(4);
        assertThat(s.rollback().at()).isEqualTo(Duration.ofSeconds(45));
        assertThat(s.faults().get(1).count()).isEqualTo(2);
        assertThat(s.gates().get("downtimeSeconds").max()).isEqualTo(0.5);
        assertThat(((CanarySpec) s.strategy()).steps()).containsExactly(new Step(100, null, null));
        assertThat(s.name()).as("an empty value restores the default").isEqualTo("full");
        assertThat(s.slo().errorRate()).isEqualTo(0.05);

        Scenario loadOnly = ScenarioLoader.load(VALID.resolve("minimal.yaml"), List.of("platform=kubernetes"));
        assertThat(loadOnly.platform()).isEqualTo("kubernetes");
    }

    @Test
    void setProblemsNameTheOption() {
        Path file = VALID.resolve("full.yaml");

        assertThatThrownBy(() -> ScenarioLoader.load(file, List.of("strategy.maxSurge=1")))
            .hasMessage(file + ": --set strategy.maxSurge=1: strategy.maxSurge: not a key of strategy type canary "
                + "(it belongs to rolling, hot-patch)");
        assertThatThrownBy(() -> ScenarioLoader.load(file, List.of("load.rat=5/s")))
            .hasMessageStartingWith(file + ": --set load.rat=5/s: load.rat: unknown key (expected one of: connectionReuse, connections, duration,");
        assertThatThrownBy(() -> ScenarioLoader.load(file, List.of("load.rate")))
            .hasMessage(file + ": --set load.rate: expected key.path=value, e.g. --set load.rate=500/s");
        assertThatThrownBy(() -> ScenarioLoader.load(file, List.of("load.rate.per=5")))
            .hasMessage(file + ": --set load.rate.per=5: load.rate is \"1000/s\", not a mapping");
        assertThatThrownBy(() -> ScenarioLoader.load(file, List.of("faults.9.at=1s")))
            .hasMessage(file + ": --set faults.9.at=1s: faults is a list, which has no entry 9 (entries count from 0)");
        assertThatThrownBy(() -> ScenarioLoader.load(file, List.of("load={rate: 1/s, rate: 2/s}")))
            .hasMessage(file + ": --set load={rate: 1/s, rate: 2/s}: load.rate: duplicate key (first on line 1 of the value)");
        assertThatThrownBy(() -> ScenarioLoader.load(file, List.of("load.rate=[1")))
            .hasMessageStartingWith(file + ": --set load.rate=[1: YAML syntax error: ");
        assertThatThrownBy(() -> ScenarioLoader.load(file, List.of("load.duration=soon")))
            .hasMessage(file + ": --set load.duration=soon: load.duration: bad duration \"soon\" "
                + "(expected e.g. 250ms, 1.5s, 2m, 1h)");
    }

    @Test
    void everyProblemIsReportedInFileOrder() throws IOException {
        Path file = write("""
            load: {rate: 10/s, duration: 10s, speed: fast}
            service:
              replicas: 0
              stable: {version: v1, behaviour: {}}
            gates: {uptime: {max: 1}}
            """);

        assertThatThrownBy(() -> ScenarioLoader.load(file))
            .isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.errors()).containsExactly(
                file + ":1:35: load.speed: unknown key (expected one of: connectionReuse, connections, duration, "
                    + "maxConnections, maxGeneratorLimited, maxSendLag, ramps, rate, requests, stopAfter, success, target, timeout, users, "
                    + "versionHeader, warmup)",
                file + ":3:13: service.replicas: must be at least 1, got 0",
                file + ":4:25: service.stable.behaviour: unknown key (expected one of: behavior, image, version)",
                file + ":5:9: gates.uptime: unknown gate metric (known: " + String.join(", ",
                    dev.rolloutlab.result.GateMetrics.gateNames()) + ")"));
    }

    @Test
    void outcomeGatesMissingValueOptOutsAndAbortOnFailBind() throws IOException {
        Scenario s = load("""
            load: {rate: 10/s, duration: 10s}
            gates:
              outcome: {in: [rolled-back], notIn: [failed]}
              detectionSeconds: {max: 5}
              rollbackSeconds: {max: 1.0, ifMissing: pass}
              errorRate: {max: 0.05, abortOnFail: true}
            """);

        assertThat(s.gates()).containsExactly(
            java.util.Map.entry("outcome", dev.rolloutlab.result.Gate.outcome(
                List.of(dev.rolloutlab.result.RunOutcome.ROLLED_BACK), List.of(dev.rolloutlab.result.RunOutcome.FAILED))),
            java.util.Map.entry("detectionSeconds", new Gate(5.0, null)),
            java.util.Map.entry("rollbackSeconds", new Gate(1.0, null, null, null, Gate.IfMissing.PASS, false)),
            java.util.Map.entry("errorRate", new Gate(0.05, null, null, null, Gate.IfMissing.FAIL, true)));
    }

    @Test
    void aMissingFileSaysSo() {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ScenarioLoader.load(file)).hasMessage(file + ": no such file");
    }

    @Test
    void intOrPercentResolvesLikeKubernetes() {
        IntOrPercent quarter = IntOrPercent.parse("25%");
        assertThat(quarter.resolve(10, true)).isEqualTo(3);
        assertThat(quarter.resolve(10, false)).isEqualTo(2);
        assertThat(IntOrPercent.parse("2").resolve(10, false)).isEqualTo(2);
        assertThatThrownBy(() -> IntOrPercent.parse("-1")).hasMessageContaining("bad pod count");
    }

    private Scenario load(String yaml) throws IOException {
        return ScenarioLoader.load(write(yaml));
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "scenario", ".yaml"), yaml);
    }
}
