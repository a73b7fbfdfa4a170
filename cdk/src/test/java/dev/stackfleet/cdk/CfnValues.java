package dev.stackfleet.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A synthesized template's values as CloudFormation would compute them on a deploy: parameters take their
 * defaults (or the values a test passes, as an operator would), conditions are evaluated, {@code Fn::If},
 * {@code Fn::Sub}, {@code Fn::Join} and {@code AWS::NoValue} are applied, and the ARN of an IAM role with a
 * fixed name and no path is written out. What only a deploy knows (a generated name, a table's ARN) stays a
 * readable reference: {@code ${LogicalId}} for a {@code Ref}, {@code ${LogicalId.Attribute}} for a
 * {@code Fn::GetAtt}. Anything else fails, so that a test never compares a half-resolved document.
 */
final class CfnValues {

    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private final Map<String, Object> template;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, String> pseudo;

    private CfnValues(Map<String, Object> template, String account, String region, Map<String, String> overrides) {
        this.template = template;
        this.pseudo = Map.of(
                "AWS::AccountId",
                account,
                "AWS::Region",
                region,
                "AWS::Partition",
                "aws",
                "AWS::URLSuffix",
                "amazonaws.com");
        section("Parameters").forEach((name, declaration) -> {
            Map<?, ?> fields = (Map<?, ?>) declaration;
            Object value = overrides.containsKey(name) ? overrides.get(name) : fields.get("Default");
            if (value == null) {
                throw new IllegalArgumentException("parameter " + name + " has no default and no value");
            }
            // CloudFormation splits a CommaDelimitedList on commas; an empty value is one empty item.
            parameters.put(
                    name,
                    "CommaDelimitedList".equals(fields.get("Type"))
                            ? List.of(value.toString().split(",", -1))
                            : value.toString());
        });
        overrides.keySet().forEach(name -> {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("no parameter " + name);
            }
        });
    }

    /** The values of a template deployed with its defaults, except {@code overrides} (parameter name to value). */
    static CfnValues of(Map<String, Object> template, String account, String region, Map<String, String> overrides) {
        return new CfnValues(template, account, region, overrides);
    }

    /** A resource's properties as deployed, or empty when its condition leaves it out. */
    @SuppressWarnings("unchecked")
    Optional<Map<String, Object>> properties(String logicalId) {
        Map<String, Object> resource =
                (Map<String, Object>) section("Resources").get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId);
        }
        if (resource.containsKey("Condition")
                && !condition(resource.get("Condition").toString())) {
            return Optional.empty();
        }
        return Optional.of((Map<String, Object>) resolve(resource.getOrDefault("Properties", Map.of())));
    }

    /** Whether a condition of the template holds. */
    boolean condition(String name) {
        Object definition = section("Conditions").get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return evaluate(definition);
    }

    private boolean evaluate(Object node) {
        Map<?, ?> function = (Map<?, ?>) node;
        Map.Entry<?, ?> entry = function.entrySet().iterator().next();
        List<?> arguments = entry.getValue() instanceof List<?> list ? list : List.of(entry.getValue());
        return switch (entry.getKey().toString()) {
            case "Fn::Not" -> !evaluate(arguments.getFirst());
            case "Fn::Or" -> arguments.stream().anyMatch(this::evaluate);
            case "Fn::And" -> arguments.stream().allMatch(this::evaluate);
            case "Fn::Equals" -> resolve(arguments.get(0)).equals(resolve(arguments.get(1)));
            case "Condition" -> condition(entry.getValue().toString());
            default -> throw new IllegalArgumentException("condition function " + entry.getKey());
        };
    }

    /** A node with every intrinsic function applied. */
    Object resolve(Object node) {
        if (node instanceof List<?> list) {
            List<Object> items = new ArrayList<>();
            list.stream().map(this::resolve).filter(item -> item != NO_VALUE).forEach(items::add);
            return items;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        if (map.size() == 1) {
            String key = map.keySet().iterator().next().toString();
            if (key.equals("Ref") || key.startsWith("Fn::")) {
                return function(key, map.get(key));
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            Object resolved = resolve(value);
            if (resolved != NO_VALUE) {
                fields.put(key.toString(), resolved);
            }
        });
        return fields;
    }

    private Object function(String name, Object argument) {
        List<?> arguments = argument instanceof List<?> list ? list : List.of(argument);
        return switch (name) {
            case "Ref" -> ref(argument.toString());
            case "Fn::GetAtt" ->
                argument instanceof String dotted
                        ? getAtt(dotted.substring(0, dotted.indexOf('.')), dotted.substring(dotted.indexOf('.') + 1))
                        : getAtt(arguments.get(0).toString(), arguments.get(1).toString());
            case "Fn::If" -> resolve(condition(arguments.get(0).toString()) ? arguments.get(1) : arguments.get(2));
            case "Fn::Join" -> {
                List<String> parts = new ArrayList<>();
                for (Object part : asList(resolve(arguments.get(1)))) {
                    parts.add(text(part));
                }
                yield String.join(arguments.get(0).toString(), parts);
            }
            case "Fn::Split" -> {
                String source = text(resolve(arguments.get(1)));
                String separator = arguments.get(0).toString();
                // A value only a deploy knows cannot be split here: it stays a readable expression.
                yield source.contains("${")
                        ? "split(" + separator + ", " + source + ")"
                        : List.of(source.split(Pattern.quote(separator), -1));
            }
            case "Fn::Select" -> {
                Object list = resolve(arguments.get(1));
                int index = Integer.parseInt(arguments.get(0).toString());
                yield list instanceof List<?> items ? items.get(index) : "${select(" + index + ", " + list + ")}";
            }
            case "Fn::Sub" ->
                sub(arguments.get(0).toString(), arguments.size() > 1 ? (Map<?, ?>) arguments.get(1) : Map.of());
            default -> throw new IllegalArgumentException("intrinsic " + name + " is not resolved: " + argument);
        };
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (pseudo.containsKey(name)) {
            return pseudo.get(name);
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (section("Resources").containsKey(name)) {
            return "${" + name + "}";
        }
        throw new IllegalArgumentException("Ref to nothing: " + name);
    }

    @SuppressWarnings("unchecked")
    private Object getAtt(String logicalId, String attribute) {
        Map<String, Object> resource =
                (Map<String, Object>) section("Resources").get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("Fn::GetAtt of nothing: " + logicalId);
        }
        Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
        if ("AWS::IAM::Role".equals(resource.get("Type"))
                && "Arn".equals(attribute)
                && properties.get("RoleName") instanceof String roleName
                && !properties.containsKey("Path")) {
            return "arn:aws:iam::" + pseudo.get("AWS::AccountId") + ":role/" + roleName;
        }
        return "${" + logicalId + "." + attribute + "}";
    }

    private String sub(String text, Map<?, ?> variables) {
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value;
            if (variable.startsWith("!")) {
                value = "${" + variable.substring(1) + "}";
            } else if (variables.containsKey(variable)) {
                value = text(resolve(variables.get(variable)));
            } else if (variable.contains(".")) {
                int dot = variable.indexOf('.');
                value = text(getAtt(variable.substring(0, dot), variable.substring(dot + 1)));
            } else {
                value = text(ref(variable));
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String text(Object value) {
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("not a string: " + value);
        }
        return text;
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> list ? list : List.of(value);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(String name) {
        return (Map<String, Object>) template.getOrDefault(name, Map.of());
    }
}
