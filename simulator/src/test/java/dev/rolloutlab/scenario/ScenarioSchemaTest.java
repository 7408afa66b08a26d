package dev.rolloutlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.rolloutlab.chaos.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published JSON Schema is what the code generates now, every scenario file passes it (checked by a real JSON
 * Schema validator, as an editor would), every bundled file points its editor at it, and whatever the binder
 * rejects the schema rejects too.
 */
class ScenarioSchemaTest {
    private static final Path ROOT = Path.of("..");
    private static final Path PUBLISHED = ROOT.resolve(ScenarioSchema.PUBLISHED);
    private static final Path SCENARIOS = ROOT.resolve("scenarios");
    private static final Path TEST_SCENARIOS = Path.of("src/test/resources/scenarios");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Schema SCHEMA = REGISTRY.getSchema(ScenarioSchema.generate());

    /** The files the repository ships under scenarios/. */
    static List<Path> bundled() throws IOException {
        // Asserted, not assumed: walking a wrong folder would pass by finding nothing.
        assertThat(SCENARIOS.resolve("pom.xml")).as("the walk starts at the repository's scenarios module").isRegularFile();
        List<Path> files = yamlUnder(SCENARIOS);
        assertThat(files).isNotEmpty();
        return files;
    }

    /** Every file that validates: the bundled ones and the tests' own valid ones. */
    static List<Path> valid() throws IOException {
        List<Path> files = new ArrayList<>(bundled());
        files.addAll(yamlUnder(TEST_SCENARIOS.resolve("valid")));
        return files;
    }

    static List<Path> malformed() throws IOException {
        return yamlUnder(TEST_SCENARIOS.resolve("malformed"));
    }

    @Test
    void thePublishedSchemaIsWhatTheCodeGeneratesNow() throws IOException {
        assertThat(PUBLISHED).isRegularFile();
        assertThat(Files.readString(PUBLISHED))
            .as("%s is not what the code generates: regenerate it with ./rollout-lab schema > %s",
                ScenarioSchema.PUBLISHED, ScenarioSchema.PUBLISHED)
            .isEqualTo(ScenarioSchema.json());
    }

    @Test
    void theSchemaIsAValidDraft07Schema() {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(ScenarioSchema.DIALECT));

        assertThat(metaSchema.validate(ScenarioSchema.generate())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void everyScenarioFilePassesTheSchema(Path file) {
        assertThat(messages(SCHEMA.validate(YamlDocument.read(file).root()))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundled")
    void everyBundledScenarioPointsItsEditorAtThePublishedSchema(Path file) throws IOException {
        String first = Files.readAllLines(file).get(0);
        assertThat(first).startsWith(ScenarioSchema.MODELINE);

        Path schema = file.getParent().resolve(first.substring(ScenarioSchema.MODELINE.length()));
        assertThat(schema.normalize()).isEqualTo(PUBLISHED.normalize());
        assertThat(file.getParent().relativize(PUBLISHED).toString().replace('\\', '/'))
            .isEqualTo(first.substring(ScenarioSchema.MODELINE.length()));
    }

    /**
     * What binding rejects (an unknown key, a value of the wrong type or format, a missing key a record needs), the
     * schema rejects as well, so an editor flags it as it is typed; what only validation rejects (ranges, how
     * sections fit together) the schema may let through.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void whatBindingRejectsTheSchemaRejects(Path file) {
        JsonNode tree;
        try {
            tree = YamlDocument.read(file).root();
        } catch (ScenarioException e) {
            return; // not YAML, or not a mapping: no tree for either to judge
        }
        List<Problem> binding = new ArrayList<>();
        if (ScenarioBinder.bind(tree, file, binding) != null && binding.isEmpty()) {
            return; // bound: the mistake is one only validation sees
        }
        assertThat(messages(SCHEMA.validate(tree))).as("binding rejects it: %s", binding).isNotEmpty();
    }

    @Test
    void aKeyOfAnotherStrategyTypeAndAFieldAFaultTypeDoesNotTakeAreFlagged() {
        assertThat(errors("""
            load: {rate: 10/s, duration: 60s}
            strategy: {type: rolling, steps: [{setWeight: 10}]}
            faults: [{at: 1s, type: kill, duration: 2s}]
            """)).anySatisfy(m -> assertThat(m).startsWith("/strategy/steps: "))
            .anySatisfy(m -> assertThat(m).startsWith("/faults/0/duration: "));
    }

    @Test
    void aLatencyRuleTakesMillisecondsUnderTheCanonicalNameAndADurationUnderBoth() {
        String rules = """
            load: {rate: 10/s, duration: 60s}
            analysis:
              rules:
                - {metric: latencyP95Ms, max: 300}
                - {metric: latencyP95Ms, max: 300ms}
                - {metric: latencyP95, max: 300ms}
            """;
        assertThat(errors(rules)).isEmpty();
        assertThat(errors(rules + "    - {metric: latencyP95, max: 300}\n"))
            .anySatisfy(m -> assertThat(m).startsWith("/analysis/rules/3/max: "))
            .noneSatisfy(m -> assertThat(m).containsPattern("/analysis/rules/[0-2]"));
    }

    /** Each value format of the schema accepts exactly what its parser reads, on the forms that tell them apart. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void eachValueFormatAgreesWithItsParser(String definition, java.util.function.Consumer<String> parser,
                                            List<Object> samples) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("$ref", "#/definitions/" + definition);
        schema.set("definitions", ScenarioSchema.generate().get("definitions"));
        Schema format = REGISTRY.getSchema(schema);
        for (Object sample : samples) {
            JsonNode node = ScenarioBinder.MAPPER.valueToTree(sample);
            boolean parses;
            try {
                parser.accept(node.asText());
                parses = true;
            } catch (IllegalArgumentException e) {
                parses = false;
            }
            assertThat(format.validate(node).isEmpty()).as("%s %s", definition, node).isEqualTo(parses);
        }
    }

    static Stream<Arguments> formats() {
        return Stream.of(
            Arguments.of("duration", (java.util.function.Consumer<String>) Durations::parse,
                List.of("250ms", "1.5s", "2m", "1h", "10us", " 3 s ", 0, "0", "5", 5, "1.5", "-1s", "1d", "s", "")),
            Arguments.of("share", (java.util.function.Consumer<String>) Shares::parse,
                List.of(0, 1, 0.25, 1.5, -0.1, "25%", "100%", "0%", "0.5%", "150%", "100.5%", "0.25", "1", "1.0", ".5",
                    "2", "abc", "%", "25")),
            Arguments.of("rate", (java.util.function.Consumer<String>) Rate::parse,
                List.of(100, 2.5, -1, "100/s", "600/m", "1/min", "36000/h", "10 / sec", "100", "100/d", "/s", "fast")),
            Arguments.of("podCount", (java.util.function.Consumer<String>) IntOrPercent::parse,
                List.of(0, 1, 25, -1, "1", "25%", "0%", "1.5", "25 %", "%", "many")),
            Arguments.of("target", (java.util.function.Consumer<String>) Target::parse,
                List.of("stable", "candidate", "all", "cell-1", "cell-12", "cell-0", "cell-", "cell-x", "everyone")));
    }

    private List<String> errors(String yaml) {
        try {
            Path file = Files.createTempFile("schema", ".yaml");
            try {
                Files.writeString(file, yaml);
                return messages(SCHEMA.validate(YamlDocument.read(file).root()));
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }

    private static List<Path> yamlUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(f -> f.toString().endsWith(".yaml") && !f.startsWith(dir.resolve("target")))
                .sorted().toList();
        }
    }
}
