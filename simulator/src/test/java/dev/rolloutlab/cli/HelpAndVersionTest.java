package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import picocli.CommandLine;

/** What {@code --help} and {@code --version} print: every command's help, in complete sentences; the real version. */
class HelpAndVersionTest {
    /** rollout-lab's own commands; {@code help} is picocli's. */
    static List<String> commands() {
        return Main.commandLine().getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
    }

    @Test
    void versionIsThePomsProjectVersion() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("..", "pom.xml").toFile());
        String version = XPathFactory.newInstance().newXPath().evaluate("/project/version", pom);
        assertThat(version).as("the parent pom's version").isNotBlank().doesNotContain("$");

        Cli ran = Cli.run("--version");

        assertThat(ran.exit()).isZero();
        assertThat(ran.out().strip()).isEqualTo("rollout-lab " + version);
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("commands")
    void everyCommandPrintsItsHelp(String command) {
        Cli ran = Cli.run(command, "--help");

        assertThat(ran.err()).isEmpty();
        assertThat(ran.exit()).isZero();
        assertThat(ran.out()).startsWith("Usage: rollout-lab " + command);
        assertThat(Cli.run("help", command).out()).isEqualTo(ran.out());
    }

    /**
     * The command list of {@code rollout-lab --help} shows the first line of each description only, and picocli
     * prints each line of a description as a paragraph of its own: every line must be a whole sentence.
     */
    @Test
    void everyDescriptionLineIsACompleteSentence() {
        Map<String, CommandLine> subcommands = Main.commandLine().getSubcommands();
        for (String command : commands()) {
            String[] lines = subcommands.get(command).getCommandSpec().usageMessage().description();
            assertThat(lines).as(command).isNotEmpty();
            for (String line : lines) {
                assertThat(line).as("a line of %s's description", command).matches("[A-Z`].*[.)]");
            }
        }
    }

    @Test
    void theCommandListShowsWholeSentences() {
        String help = Cli.run("--help").out();
        String list = help.substring(help.indexOf("Commands:"));

        // Each command's summary ends its sentence before the next command (or the end) starts.
        List<String> entries = List.of(list.split("\\R  (?=[a-z])"));
        assertThat(entries).hasSize(commands().size() + 2); // the heading, the commands, help
        assertThat(entries.subList(1, entries.size())).allSatisfy(entry -> assertThat(entry.strip()).endsWith("."));
    }
}
