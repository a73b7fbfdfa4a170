package dev.stackfleet.core;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Reads a template's {@code Parameters} with SnakeYAML: the build, to derive the API's rules from
 * {@code templates/game-server.yaml} ({@code TemplateParametersGenerator}), and {@code ops release publish}, to hold a
 * new release to them. SnakeYAML is an optional dependency of this module: the Lambdas never load this class, and
 * whoever does declares SnakeYAML itself.
 */
public final class TemplateParametersYaml {

    private TemplateParametersYaml() {}

    /**
     * The parameters a template declares.
     *
     * @param constraints each parameter's constraints
     * @param defaulted the names of those with a {@code Default}: CloudFormation needs no value for them
     * @param outputs the names of the template's outputs
     */
    public record Declared(TemplateParameters constraints, Set<String> defaulted, Set<String> outputs) {}

    /** Reads the {@code Parameters} section of a YAML or JSON template: the constraints only. */
    public static TemplateParameters parse(InputStream template) {
        return read(template).constraints();
    }

    /** Reads the {@code Parameters} section of a YAML or JSON template. */
    @SuppressWarnings("unchecked")
    public static Declared read(InputStream template) {
        Map<String, Object> root = new Yaml(new CloudFormationTagsIgnored()).load(template);
        Map<String, Object> parameters = (Map<String, Object>) root.getOrDefault("Parameters", Map.of());
        Map<String, ParameterConstraint> constraints = new LinkedHashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            Map<String, Object> p = (Map<String, Object>) value;
            constraints.put(name, constraint(name, p));
            if (p.get("Default") != null) {
                defaults.put(name, p.get("Default").toString());
            }
        });
        Map<String, Object> outputs = (Map<String, Object>) root.getOrDefault("Outputs", Map.of());
        return new Declared(
                new TemplateParameters(constraints), Set.copyOf(defaults.keySet()), Set.copyOf(outputs.keySet()));
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
