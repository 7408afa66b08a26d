package dev.rolloutlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolloutlab.cli.ValidateCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every file under {@code scenarios/malformed/} holds one mistake and says on its first line where it must be
 * reported: {@code # expect: LINE:COL: FRAGMENT}.
 */
class MalformedScenariosTest {
    private static final Path DIR = Path.of("src/test/resources/scenarios/malformed");
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+):(\\d+): (.+)");

    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void isRejectedAtItsLineAndColumnWithOneMessage(Path file) throws IOException {
        Matcher expect = EXPECT.matcher(Files.readAllLines(file).get(0));
        assertThat(expect.matches()).as("first line of %s reads # expect: LINE:COL: FRAGMENT", file).isTrue();
        String location = file + ":" + expect.group(1) + ":" + expect.group(2) + ": ";

        assertThatThrownBy(() -> ScenarioLoader.load(file)).isInstanceOfSatisfying(ScenarioException.class, e -> {
            assertThat(e.getMessage()).startsWith(location).contains(expect.group(3));
            assertThat(e.errors()).as("no follow-on errors").hasSize(1);
        });

        Validation run = validate(file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith(location);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMissingFileIsBadInputToo() {
        Path file = DIR.resolve("does-not-exist.yaml");

        assertThatThrownBy(() -> ScenarioLoader.load(file)).hasMessage(file + ": no such file");
        Validation run = validate(file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(file + ": no such file" + System.lineSeparator());
    }

    @Test
    void theCorpusCoversManyMistakes() throws IOException {
        assertThat(files()).hasSizeGreaterThanOrEqualTo(25);
    }

    record Validation(int exitCode, String out, String err) {
    }

    static Validation validate(String... files) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ValidateCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(files);
        return new Validation(code, out.toString(), err.toString());
    }
}
