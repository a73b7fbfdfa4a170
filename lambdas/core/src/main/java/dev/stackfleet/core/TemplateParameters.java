package dev.stackfleet.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The parameter constraints of a CloudFormation template, read from the template itself so that the
 * API accepts exactly what CloudFormation would (invariant 7 of the design).
 */
public final class TemplateParameters {

    /** The game-server template, shipped inside the jar from {@code templates/game-server.yaml}. */
    public static final String GAME_SERVER_TEMPLATE = "/templates/game-server.yaml";

    private final Map<String, ParameterConstraint> constraints;

    private TemplateParameters(Map<String, ParameterConstraint> constraints) {
        this.constraints = Map.copyOf(constraints);
    }

    /** Reads the game-server template from the classpath. */
    public static TemplateParameters gameServer() {
        try (InputStream in = TemplateParameters.class.getResourceAsStream(GAME_SERVER_TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + GAME_SERVER_TEMPLATE + " on the classpath");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the {@code Parameters} section of a YAML or JSON template. */
    @SuppressWarnings("unchecked")
    static TemplateParameters parse(InputStream template) {
        Map<String, Object> root = new Yaml(new CloudFormationTagsIgnored()).load(template);
        Map<String, Object> parameters = (Map<String, Object>) root.getOrDefault("Parameters", Map.of());
        Map<String, ParameterConstraint> constraints = new LinkedHashMap<>();
        parameters.forEach((name, value) -> constraints.put(name, constraint(name, (Map<String, Object>) value)));
        return new TemplateParameters(constraints);
    }

    /** The constraints of one parameter, if the template declares it. */
    public Optional<ParameterConstraint> get(String parameterName) {
        return Optional.ofNullable(constraints.get(parameterName));
    }

    private static ParameterConstraint constraint(String name, Map<String, Object> p) {
        Object pattern = p.get("AllowedPattern");
        List<?> allowed = (List<?>) p.getOrDefault("AllowedValues", List.of());
        return new ParameterConstraint(
                name,
                String.valueOf(p.getOrDefault("Type", "String")),
                allowed.stream().map(String::valueOf).toList(),
                pattern == null ? null : Pattern.compile(pattern.toString()),
                integer(p.get("MinLength")),
                integer(p.get("MaxLength")),
                decimal(p.get("MinValue")),
                decimal(p.get("MaxValue")),
                p.get("ConstraintDescription") == null
                        ? null
                        : p.get("ConstraintDescription").toString());
    }

    private static Integer integer(Object value) {
        return value == null ? null : Integer.valueOf(value.toString());
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? null : new BigDecimal(value.toString());
    }

    /** Reads CloudFormation short-form tags ({@code !Ref}, {@code !Sub}, ...) as plain nodes. */
    private static final class CloudFormationTagsIgnored extends SafeConstructor {
        CloudFormationTagsIgnored() {
            super(new LoaderOptions());
            yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    if (node instanceof ScalarNode scalar) {
                        return constructScalar(scalar);
                    }
                    if (node instanceof SequenceNode sequence) {
                        return constructSequence(sequence);
                    }
                    return constructMapping((MappingNode) node);
                }
            });
        }
    }
}
