package dev.rolloutlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.result.GateMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One name per metric: a rule may name a latency as its gate does, and the older spelling still reads. */
class RuleMetricTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{metric: latencyP95Ms, max: 300}", "{metric: latencyP95Ms, max: 300ms}",
        "{metric: latencyP95Ms, max: 0.3s}", "{metric: latencyP95, max: 300ms}"})
    void everySpellingOfALatencyRuleBindsToTheSameRule(String rule) throws IOException {
        assertThat(rule(rule)).isEqualTo(new Rule("latencyP95", "candidate", 300.0, null, Duration.ofSeconds(5), null));
    }

    @Test
    void aLatencyInMillisecondsMayBeFractional() throws IOException {
        assertThat(rule("{metric: latencyP99Ms, max: 2.5}").max()).isEqualTo(2.5);
    }

    @Test
    void theCanonicalNameOfEveryMetricAGateAlsoBoundsIsTheGatesName() {
        for (RuleMetric metric : RuleMetric.values()) {
            boolean gated = GateMetrics.names().contains(metric.yamlName()) || GateMetrics.names().contains(metric.id());
            if (gated) {
                assertThat(GateMetrics.names()).as("%s is also a gate metric", metric).contains(metric.yamlName());
            }
            assertThat(Rule.METRICS).contains(metric.id());
        }
        assertThat(RuleMetric.LATENCY_P95.spellings()).containsExactly("latencyP95Ms", "latencyP95");
        assertThat(RuleMetric.ERROR_RATE.spellings()).containsExactly("errorRate");
    }

    private Rule rule(String rule) throws IOException {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
            load: {rate: 10/s, duration: 60s}
            service: {candidate: {version: v2}}
            strategy: {type: rolling}
            analysis:
              rules:
                - %s
            """.formatted(rule.replace("}", ", for: 5s}")));
        return ScenarioLoader.load(file).analysis().rules().get(0);
    }
}
