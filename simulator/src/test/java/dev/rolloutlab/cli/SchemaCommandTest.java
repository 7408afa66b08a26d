package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.scenario.ScenarioSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemaCommandTest {
    @Test
    void printsThePublishedSchema() throws Exception {
        Cli ran = Cli.run("schema");

        assertThat(ran.exit()).isZero();
        assertThat(ran.err()).isEmpty();
        assertThat(ran.out()).startsWith("{").isEqualTo(Files.readString(Path.of("..", ScenarioSchema.PUBLISHED)));
    }
}
