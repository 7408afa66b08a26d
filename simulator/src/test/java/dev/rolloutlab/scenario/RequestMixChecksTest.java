package dev.rolloutlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code load.requests} as bound, and the checks of body files, which need files made for the test. */
class RequestMixChecksTest {
    @TempDir
    Path dir;

    private Path scenario(String requests) throws Exception {
        Path file = dir.resolve("mix.yaml");
        Files.writeString(file, "load:\n  rate: 10/s\n  duration: 10s\n  requests:\n" + requests);
        return file;
    }

    @Test
    void aKindTakesDefaultsAndItsBodyFileIsRelativeToTheScenario() throws Exception {
        Files.createDirectories(dir.resolve("bodies"));
        Files.writeString(dir.resolve("bodies/pay.json"), "{\"order\": ${seq}}");
        Path file = scenario("""
                - {name: home, path: /}
                - {name: pay, method: POST, path: /pay, bodyFile: bodies/pay.json, weight: 5,
                   headers: {Content-Type: application/json}}
            """);

        Scenario s = ScenarioLoader.load(file);

        assertThat(s.load().requests()).containsExactly(
            new RequestSpec("home", "GET", "/", Map.of(), null, null, 1),
            new RequestSpec("pay", "POST", "/pay", Map.of("Content-Type", "application/json"), null,
                "bodies/pay.json", 5));
        assertThat(s.load().requests().get(1).bodyFileIn(file)).isEqualTo(dir.resolve("bodies/pay.json"));
    }

    @Test
    void aBodyFileOverTheCapIsRefusedAtItsKey() throws Exception {
        try (RandomAccessFile big = new RandomAccessFile(dir.resolve("big.bin").toFile(), "rw")) {
            big.setLength(RequestMixChecks.MAX_BODY_BYTES + 1);
        }
        Path file = scenario("    - {name: pay, method: POST, path: /pay, bodyFile: big.bin}\n");

        assertThatThrownBy(() -> ScenarioLoader.load(file)).isInstanceOfSatisfying(ScenarioException.class,
            e -> assertThat(e.errors()).singleElement().asString().startsWith(file + ":5:55: load.requests[0].bodyFile: ")
                .endsWith("has 1048577 bytes, at most 1048576"));
    }

    @Test
    void aBodyFileThatIsAFolderIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("pay.json"));
        Path file = scenario("    - {name: pay, method: POST, path: /pay, bodyFile: pay.json}\n");

        assertThatThrownBy(() -> ScenarioLoader.load(file)).isInstanceOfSatisfying(ScenarioException.class,
            e -> assertThat(e.errors()).singleElement().asString()
                .startsWith(file + ":5:55: load.requests[0].bodyFile: ").endsWith("does not exist or is not a file"));
    }
}
