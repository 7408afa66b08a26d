package dev.rolloutlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that would cost the tool time or memory before any check could run are refused up front, on one line. */
class HostileInputTest {
    @TempDir
    Path dir;

    @Test
    void aDeviceOrAFolderIsNotReadAsAScenario() {
        assertThatThrownBy(() -> ScenarioLoader.load(Path.of("/dev/zero"))).isInstanceOf(ScenarioException.class)
            .hasMessage("/dev/zero: not a regular file (a scenario is a YAML file)");
        assertThatThrownBy(() -> ScenarioLoader.load(dir)).isInstanceOf(ScenarioException.class)
            .hasMessage(dir + ": not a regular file (a scenario is a YAML file)");
    }

    @Test
    void aFileBeyondTheSizeLimitIsRefusedUnread() throws Exception {
        Path big = Files.writeString(dir.resolve("big.yaml"), "name: x\n" + "#".repeat((int) YamlDocument.MAX_BYTES));

        assertThatThrownBy(() -> ScenarioLoader.load(big)).isInstanceOf(ScenarioException.class)
            .hasMessage(big + ": " + Files.size(big) + " bytes, more than a scenario's limit of 1048576 bytes");
    }

    /** 16 levels of 3-element lists: 3^16 entries once expanded, refused at the first alias of a list instead. */
    @Test
    void aliasesOfListsAreRefusedBeforeTheyExpand() throws Exception {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x]\n");
        String previous = "a";
        for (int i = 1; i < 16; i++) {
            yaml.append("l").append(i).append(": &l").append(i).append(" [*").append(previous).append(", *")
                .append(previous).append(", *").append(previous).append("]\n");
            previous = "l" + i;
        }
        Path bomb = Files.writeString(dir.resolve("bomb.yaml"), yaml);

        assertThatThrownBy(() -> ScenarioLoader.load(bomb)).isInstanceOfSatisfying(ScenarioException.class, e -> {
            assertThat(e.errors()).singleElement().asString()
                .startsWith(bomb + ":1:4: l1[0]: an alias of this mapping or list");
        });
    }

    @Test
    void anAliasOfASingleValueStillReads() throws Exception {
        Path file = Files.writeString(dir.resolve("ok.yaml"), """
            name: aliases
            load: { rate: &r 100/s, duration: 2s }
            service: { replicas: 2 }
            slo: { errorRate: 0.01 }
            """);

        assertThat(ScenarioLoader.load(file).load().rate().perSecond()).isEqualTo(100);
    }

    @Test
    void echoedValuesCannotForgeALineOrReachTheTerminalAsEscapes() throws Exception {
        Path file = Files.writeString(dir.resolve("esc.yaml"), """
            name: "a\\nother.yaml:1:1: forged \\e[31m"
            load: { rate: 10/s, duration: 2s }
            """);

        assertThatThrownBy(() -> ScenarioLoader.load(file)).isInstanceOfSatisfying(ScenarioException.class, e -> {
            assertThat(e.errors()).singleElement().asString().doesNotContain("\n").doesNotContain("\u001b")
                .contains("a\\nother.yaml:1:1: forged \\u001b[31m");
            assertThat(e.getMessage()).doesNotContain("\n");
        });
    }

    @Test
    void anEmptyKeyIsAnError() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.yaml"), "\"\": 1\nload: { rate: 10/s, duration: 2s }\n");

        assertThatThrownBy(() -> ScenarioLoader.load(file)).isInstanceOf(ScenarioException.class)
            .hasMessage(file + ":1:1: an empty key");
    }

    /**
     * Unknown keys are reported in the one binding pass, every one of them; the message shows the first
     * {@link ScenarioException#SHOWN}, each on its line, and counts the rest.
     */
    @Test
    void everyUnknownKeyOfAManyIsReported() throws Exception {
        StringBuilder yaml = new StringBuilder("name: many\nload: { rate: 10/s, duration: 2s }\n");
        for (int i = 0; i < 5000; i++) {
            yaml.append("k").append(i).append(": 1\n");
        }
        Path file = Files.writeString(dir.resolve("many.yaml"), yaml);

        assertThatThrownBy(() -> ScenarioLoader.load(file)).isInstanceOfSatisfying(ScenarioException.class, e -> {
            assertThat(e.errors()).hasSize(5000);
            assertThat(e.errors().get(4999)).startsWith(file + ":5002:1: k4999: unknown key");
            assertThat(e.getMessage().lines()).hasSize(ScenarioException.SHOWN + 1)
                .endsWith("... and 4,980 more problems");
        });
    }
}
