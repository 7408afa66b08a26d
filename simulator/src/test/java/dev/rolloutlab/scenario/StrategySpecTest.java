package dev.rolloutlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each strategy type's keys, defaults and checks, as a scenario file with 3 replicas meets them. */
class StrategySpecTest {
    private static final Duration START_AT = Duration.ofSeconds(5);
    private static final Duration PROGRESS_DEADLINE = Duration.ofMinutes(10);
    private static final IntOrPercent QUARTER = new IntOrPercent(25, true);

    @TempDir
    Path dir;

    @Nested
    class Recreate {
        @Test
        void takesOnlyTheKeysEveryTypeTakes() throws IOException {
            assertThat(strategy("{type: recreate}")).isEqualTo(new RecreateSpec(START_AT, "proxy", PROGRESS_DEADLINE));
        }

        @Test
        void aKeyOfAnotherTypeNamesItsTypes() throws IOException {
            assertThat(problems("{type: recreate, steps: [{setWeight: 10}]}")).containsExactly(
                "3:28: strategy.steps: not a key of strategy type recreate (it belongs to canary)");
        }
    }

    @Nested
    class Rolling {
        @Test
        void replacesAQuarterOfThePodsAtATime() throws IOException {
            assertThat(strategy("{type: rolling}"))
                .isEqualTo(new RollingSpec(START_AT, "proxy", PROGRESS_DEADLINE, QUARTER, QUARTER));
        }

        @Test
        void limitsThatComeToNoPodBlameTheWrittenMaxUnavailable() throws IOException {
            assertThat(problems("{type: rolling, maxSurge: 0, maxUnavailable: 0}")).containsExactly(
                "3:56: strategy.maxUnavailable: maxSurge 0 and maxUnavailable 0 both come to 0 pods with 3 replicas: "
                    + "the rollout could never replace a pod");
        }
    }

    @Nested
    class HotPatch {
        @Test
        void replacesAQuarterOfThePodsAtATime() throws IOException {
            assertThat(strategy("{type: hot-patch}"))
                .isEqualTo(new HotPatchSpec(START_AT, "proxy", PROGRESS_DEADLINE, QUARTER, QUARTER));
        }

        @Test
        void limitsThatComeToNoPodBlameMaxSurgeWhenMaxUnavailableIsTheDefault() throws IOException {
            assertThat(problems("{type: hot-patch, maxSurge: 0}")).containsExactly(
                "3:39: strategy.maxSurge: maxSurge 0 and maxUnavailable 25% both come to 0 pods with 3 replicas: "
                    + "the rollout could never replace a pod");
        }
    }

    @Nested
    class BlueGreen {
        @Test
        void switchesAtOnceAndKeepsBlueHalfAMinute() throws IOException {
            assertThat(strategy("{type: blue-green}")).isEqualTo(new BlueGreenSpec(START_AT, "proxy",
                PROGRESS_DEADLINE, Duration.ZERO, true, Duration.ofSeconds(30)));
        }

        @Test
        void autoPromoteIsTrueOrFalse() throws IOException {
            assertThat(problems("{type: blue-green, autoPromote: maybe}")).containsExactly(
                "3:43: strategy.autoPromote: expected true or false, got \"maybe\"");
        }
    }

    @Nested
    class Canary {
        @Test
        void withoutStepsGoesStraightToTheCandidate() throws IOException {
            assertThat(strategy("{type: canary}")).isEqualTo(new CanarySpec(START_AT, "proxy", PROGRESS_DEADLINE,
                List.of(), Duration.ofSeconds(30)));
        }

        @Test
        void aWeightIsAPercentage() throws IOException {
            assertThat(problems("{type: canary, steps: [{setWeight: 150}]}")).containsExactly(
                "3:46: strategy.steps[0].setWeight: 150 is outside 0..100 (percent of traffic to the candidate)");
        }
    }

    @Nested
    class CellBased {
        @Test
        void bakesEachCellTenSeconds() throws IOException {
            assertThat(strategy("{type: cell-based, cells: 3}")).isEqualTo(new CellBasedSpec(START_AT, "proxy",
                PROGRESS_DEADLINE, 3, Duration.ofSeconds(10)));
        }

        @Test
        void needsCellsThatEachGetAReplica() throws IOException {
            assertThat(problems("{type: cell-based}")).containsExactly("3:1: strategy.cells: required for cell-based: "
                + "how many cells the replicas are split into, e.g. cells: 5");
            assertThat(problems("{type: cell-based, cells: 9}")).containsExactly(
                "3:37: strategy.cells: must be within 1..service.replicas (3), got 9");
        }
    }

    @Test
    void aKeyNoTypeTakesIsNamedAgainstTheKeysOfEveryType() throws IOException {
        assertThat(problems("{type: canary, weights: [10]}")).containsExactly(
            "3:26: strategy.weights: unknown key (expected one of: abortScaleDownDelay, autoPromote, bakeTime, cells, "
                + "maxSurge, maxUnavailable, previewFor, progressDeadline, scaleDownDelay, startAt, steps, "
                + "trafficRouting, type)");
    }

    @Test
    void theTypeIsRequiredAndOneOfTheKnown() throws IOException {
        assertThat(problems("{startAt: 10s}")).containsExactly(
            "3:1: strategy.type: required (known: recreate, rolling, blue-green, canary, hot-patch, cell-based)");
        assertThat(problems("{type: big-bang}")).containsExactly("3:18: strategy.type: unknown strategy type "
            + "\"big-bang\" (known: recreate, rolling, blue-green, canary, hot-patch, cell-based)");
        assertThat(problems("{type: [canary]}")).containsExactly("3:18: strategy.type: expected text, got a list");
    }

    @Test
    void theKubernetesPlatformRoutesByReplicasUnlessTold() throws IOException {
        assertThat(load("platform: kubernetes\n" + scenario("{type: canary}")).strategy().trafficRouting())
            .isEqualTo("replicas");
        assertThat(load("platform: kubernetes\n" + scenario("{type: canary, trafficRouting: istio}")).strategy()
            .trafficRouting()).isEqualTo("istio");
    }

    private StrategySpec strategy(String section) throws IOException {
        return load(scenario(section)).strategy();
    }

    /** The problems of a scenario with this strategy section, each without the file name before it. */
    private List<String> problems(String section) throws IOException {
        Path file = write(scenario(section));
        try {
            ScenarioLoader.load(file);
            return List.of();
        } catch (ScenarioException e) {
            return e.errors().stream().map(line -> line.substring((file + ":").length())).toList();
        }
    }

    private static String scenario(String section) {
        return "load: {rate: 10/s, duration: 1m}\nservice: {replicas: 3, candidate: {version: v2}}\nstrategy: "
            + section + "\n";
    }

    private Scenario load(String yaml) throws IOException {
        return ScenarioLoader.load(write(yaml));
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "scenario", ".yaml"), yaml);
    }
}
