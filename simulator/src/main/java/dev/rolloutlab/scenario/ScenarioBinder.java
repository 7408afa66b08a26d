package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.demo.Behavior;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Binds a scenario tree to the records with Jackson, strictly: an unknown key, a value of the wrong type or one its
 * parser rejects becomes a {@link Problem} with the key path, never ignored or coerced ({@code "3"} is not a
 * number, {@code 2.5} replicas is a typo).
 */
final class ScenarioBinder {
    /** Also what {@link ScenarioSchema} reads the keys of each record from, so the schema has exactly these keys. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .addModule(new SimpleModule()
            .addDeserializer(Duration.class, scalar(Duration.class, "a duration such as 1.5s", Durations::parse))
            .addDeserializer(Rate.class, scalar(Rate.class, "a rate such as 100/s", Rate::parse))
            .addDeserializer(IntOrPercent.class, scalar(IntOrPercent.class, "a pod count such as 1 or 25%",
                IntOrPercent::parse))
            .addDeserializer(URI.class, scalar(URI.class, "a URL", ScenarioBinder::httpUrl))
            .addDeserializer(FaultType.class, scalar(FaultType.class, "a fault type", FaultType::fromYaml))
            .addDeserializer(Target.class, scalar(Target.class, "a target", Target::parse))
            .addDeserializer(ClaimSource.class, scalar(ClaimSource.class, "a claims source such as seed",
                ClaimSource::fromYaml))
            .addDeserializer(StrategySpec.class, new StrategySpecDeserializer())
            .setMixInAnnotation(Behavior.class, BehaviorYaml.class)
            .setMixInAnnotation(Fault.class, FaultYaml.class))
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        // An empty list entry or map value ("- " on its own) is a mistake, not a default.
        .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
        // Only creator parameters are keys: record accessors such as Rule.forDuration() must not become keys too.
        .visibility(PropertyAccessor.ALL, Visibility.NONE)
        .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
        .build();

    private ScenarioBinder() {
    }

    /**
     * @param problems receives every unknown key and, when binding fails, the reason
     * @return the scenario (unchecked beyond types and value formats), {@code null} when it could not be bound
     */
    static Scenario bind(JsonNode tree, Path source, List<Problem> problems) {
        ObjectReader reader = MAPPER.readerFor(Scenario.class)
            .with(new InjectableValues.Std().addValue(Scenario.SOURCE, source));
        // Every unknown key is reported and skipped in the one pass: a file of many unknown keys costs no more than
        // reading it.
        try (JsonParser root = reader.treeAsTokens(tree)) {
            return reader.withHandler(new UnknownKeys(problems)).readValue(root);
        } catch (JsonMappingException e) {
            problems.add(problem(e, tree));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading a tree in memory", e);
        }
    }

    /** Reports an unknown key where it is and skips its value. */
    private static final class UnknownKeys extends DeserializationProblemHandler {
        /** The context attribute naming the section a separately read tree sits below. */
        static final Object BELOW = UnknownKeys.class;
        private final List<Problem> problems;

        UnknownKeys(List<Problem> problems) {
            this.problems = problems;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String name) throws IOException {
            List<Object> parts = new ArrayList<>();
            if (ctxt.getAttribute(BELOW) instanceof KeyPath below) {
                parts.addAll(below.parts());
            }
            // The keys and indexes leading to the unknown key: each enclosing context's current entry, outermost
            // first; the innermost is the unknown key itself (or, once the parser entered its value, that value).
            List<Object> above = new ArrayList<>();
            for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
                if (c.inArray()) {
                    above.add(0, c.getCurrentIndex());
                } else if (c.getCurrentName() != null) {
                    above.add(0, c.getCurrentName());
                }
            }
            if (ctxt.getAttribute(BELOW) != null) {
                // A tree read on its own starts inside the buffers Jackson read it from: leading indexes are theirs.
                while (!above.isEmpty() && above.get(0) instanceof Integer) {
                    above.remove(0);
                }
            }
            int own = above.lastIndexOf(name);
            parts.addAll(own >= 0 ? above.subList(0, own) : above);
            parts.add(name);
            Class<?> referring = deserializer.handledType();
            problems.add(Problem.atKey(new KeyPath(parts), unknownKey(name, referring,
                deserializer.getKnownPropertyNames())));
            p.skipChildren();
            return true;
        }
    }

    /**
     * Names the keys the mapping takes. A strategy section takes those of its type: a key of other types names them,
     * and any other key is named against the keys of every type, as the file's author would look them up.
     */
    private static String unknownKey(String name, Class<?> referring, Collection<?> known) {
        for (StrategyType type : StrategyType.values()) {
            if (type.spec() == referring) {
                List<String> owners = Arrays.stream(StrategyType.values())
                    .filter(t -> keys(t.spec()).contains(name)).map(StrategyType::yamlName).toList();
                if (!owners.isEmpty()) {
                    return "not a key of strategy type " + type.yamlName() + " (it belongs to "
                        + String.join(", ", owners) + ")";
                }
                known = Stream.concat(Stream.of(StrategySpecDeserializer.TYPE),
                    Arrays.stream(StrategyType.values()).flatMap(t -> keys(t.spec()).stream())).distinct().toList();
            }
        }
        return "unknown key (expected one of: " + known.stream().map(String::valueOf).sorted()
            .collect(Collectors.joining(", ")) + ")";
    }

    /** The keys a record binds: its creator's parameters, as Jackson sees them. */
    private static Set<String> keys(Class<?> record) {
        return MAPPER.getDeserializationConfig().introspect(MAPPER.constructType(record)).findProperties().stream()
            .map(BeanPropertyDefinition::getName).collect(Collectors.toSet());
    }

    private static KeyPath pathOf(JsonMappingException e) {
        return new KeyPath(e.getPath().stream()
            .map(r -> r.getFieldName() != null ? (Object) r.getFieldName() : (Object) r.getIndex()).toList());
    }

    private static Problem problem(JsonMappingException e, JsonNode tree) {
        KeyPath path = pathOf(e);
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof KeyError k) {
                return Problem.atValue(path.child(k.key()), k.getMessage());
            }
            if (t instanceof IllegalArgumentException) {
                return Problem.atValue(path, t.getMessage());
            }
        }
        if (e instanceof MismatchedInputException m) {
            return Problem.atValue(path, "expected " + expected(m.getTargetType()) + ", got "
                + YamlDocument.describe(path.find(tree)));
        }
        return Problem.atValue(path, e.getOriginalMessage());
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return type == String.class ? "text" : "a mapping";
    }

    /** A value type read from one scalar by its own parser, whose message then reaches the user unchanged. */
    private static <T> JsonDeserializer<T> scalar(Class<T> type, String expected, Function<String, T> parse) {
        return new StdScalarDeserializer<>(type) {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return parse.apply(text(p, expected));
            }
        };
    }

    private static String text(JsonParser p, String expected) throws IOException {
        if (!p.currentToken().isScalarValue()) {
            throw new IllegalArgumentException("expected " + expected + ", got "
                + (p.currentToken() == JsonToken.START_ARRAY ? "a list" : "a mapping"));
        }
        return p.getText();
    }

    private static URI httpUrl(String text) {
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Reported below like any other URL the load cannot be sent to.
        }
        throw new IllegalArgumentException("expected an http:// or https:// URL, got \"" + text + "\"");
    }

    /**
     * Binds a strategy section to the record of the type its {@code type} key names; that record then takes only
     * its own keys. A missing or unknown type stops binding, as an unknown fault type does: there is no record whose
     * keys the rest could be checked against.
     */
    static final class StrategySpecDeserializer extends StdDeserializer<StrategySpec> {
        static final String TYPE = "type";

        StrategySpecDeserializer() {
            super(StrategySpec.class);
        }

        @Override
        public StrategySpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartObjectToken()) {
                return (StrategySpec) ctxt.handleUnexpectedToken(StrategySpec.class, p);
            }
            ObjectNode settings = (ObjectNode) ctxt.readTree(p);
            StrategyType type = type(settings.remove(TYPE));
            // The section is read from a tree of its own: unknown keys found there are named below "strategy".
            ctxt.setAttribute(UnknownKeys.BELOW, KeyPath.of("strategy"));
            try {
                return ctxt.readTreeAsValue(settings, type.spec());
            } finally {
                ctxt.setAttribute(UnknownKeys.BELOW, null);
            }
        }

        private static StrategyType type(JsonNode name) {
            if (name == null || name.isNull()) {
                throw new KeyError(TYPE, "required " + StrategyType.known());
            }
            if (name.isContainerNode()) {
                throw new KeyError(TYPE, "expected text, got " + YamlDocument.describe(name));
            }
            try {
                return StrategyType.fromYaml(name.asText());
            } catch (IllegalArgumentException e) {
                throw new KeyError(TYPE, e.getMessage());
            }
        }
    }

    /** Shares written {@code 0.25} or {@code "25%"}; a class because annotations name deserializers by class. */
    static class ShareDeserializer extends StdScalarDeserializer<Double> {
        ShareDeserializer() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Shares.parse(text(p, "a share such as 0.25 or 25%"));
        }
    }

    /** {@link Behavior}'s errorRate is a primitive: no value means no errors (reflection would reject a null). */
    static final class ErrorRateDeserializer extends ShareDeserializer {
        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return 0.0;
        }
    }

    /** Lets the demo service's {@link Behavior}, which knows nothing of YAML, take its errorRate as a share. */
    abstract static class BehaviorYaml {
        BehaviorYaml(@JsonDeserialize(using = ErrorRateDeserializer.class) double errorRate, Duration latency,
                     Duration startupDelay, Duration crashAfter, Map<String, Duration> pathDelays) {
        }
    }

    /** Lets the chaos module's {@link Fault}, which knows nothing of YAML, take its share as a share. */
    abstract static class FaultYaml {
        FaultYaml(Duration at, FaultType type, Target target, Duration duration, Integer count,
                  @JsonDeserialize(using = ShareDeserializer.class) Double share, Duration delay, Duration jitter) {
        }
    }
}
