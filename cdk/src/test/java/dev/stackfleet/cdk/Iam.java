package dev.stackfleet.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expected IAM policy documents, written as statements a reader can check against the intent
 * ({@code allow("sts:AssumeRole").principal("AWS", workflowRole).when("ArnEquals", "aws:PrincipalArn",
 * workflowRole)}), and the one form in which an expected and a synthesized document are compared.
 */
final class Iam {

    private static final ObjectMapper PRETTY = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    /** Statement fields whose value IAM reads as one value or a list of values alike. */
    private static final Set<String> VALUE_LISTS = Set.of("Action", "NotAction", "Resource", "NotResource");

    private Iam() {}

    /** One statement of an expected document. */
    static final class Statement {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Statement(String effect, List<String> actions) {
            fields.put("Effect", effect);
            fields.put("Action", actions);
        }

        Statement sid(String sid) {
            fields.put("Sid", sid);
            return this;
        }

        Statement on(String... resources) {
            fields.put("Resource", List.of(resources));
            return this;
        }

        Statement on(List<String> resources) {
            fields.put("Resource", resources);
            return this;
        }

        /** A principal of a trust or resource policy: {@code AWS}, {@code Service}. */
        Statement principal(String type, String... values) {
            return principal(type, List.of(values));
        }

        @SuppressWarnings("unchecked")
        Statement principal(String type, List<String> values) {
            ((Map<String, Object>) fields.computeIfAbsent("Principal", key -> new LinkedHashMap<>())).put(type, values);
            return this;
        }

        /** A condition: {@code operator} (e.g. {@code StringEquals}) on {@code key}, one value or a list. */
        @SuppressWarnings("unchecked")
        Statement when(String operator, String key, Object value) {
            Map<String, Object> conditions =
                    (Map<String, Object>) fields.computeIfAbsent("Condition", k -> new LinkedHashMap<>());
            ((Map<String, Object>) conditions.computeIfAbsent(operator, k -> new LinkedHashMap<>())).put(key, value);
            return this;
        }

        Map<String, Object> toMap() {
            return fields;
        }
    }

    static Statement allow(String... actions) {
        return new Statement("Allow", List.of(actions));
    }

    static Statement allow(List<String> actions) {
        return new Statement("Allow", actions);
    }

    static Statement deny(String... actions) {
        return new Statement("Deny", List.of(actions));
    }

    /** A policy document of these statements, in this order. */
    static Map<String, Object> document(Statement... statements) {
        return document(List.of(statements));
    }

    static Map<String, Object> document(List<Statement> statements) {
        return Map.of(
                "Version",
                "2012-10-17",
                "Statement",
                statements.stream().map(Statement::toMap).toList());
    }

    /**
     * A document in the form both sides are compared in, as indented JSON with sorted keys (a failure then shows
     * the differing lines): a single action, resource, principal or condition value becomes a list of one, which
     * IAM reads the same. Order within lists is kept: it is the order the template writes.
     */
    static String comparable(Object document) {
        try {
            return PRETTY.writeValueAsString(normalize(document, null));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Object normalize(Object node, String field) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                String name = key.toString();
                if (name.equals("Principal") && value instanceof Map<?, ?> principals) {
                    Map<String, Object> listed = new LinkedHashMap<>();
                    principals.forEach((type, values) -> listed.put(type.toString(), listOf(values)));
                    result.put(name, listed);
                } else if (name.equals("Condition") && value instanceof Map<?, ?> operators) {
                    Map<String, Object> listed = new LinkedHashMap<>();
                    operators.forEach((operator, keys) -> {
                        Map<String, Object> values = new LinkedHashMap<>();
                        ((Map<?, ?>) keys)
                                .forEach((conditionKey, conditionValues) ->
                                        values.put(conditionKey.toString(), listOf(conditionValues)));
                        listed.put(operator.toString(), values);
                    });
                    result.put(name, listed);
                } else {
                    result.put(name, normalize(value, name));
                }
            });
            return result;
        }
        if (field != null && VALUE_LISTS.contains(field)) {
            return listOf(node);
        }
        if (node instanceof List<?> list) {
            return list.stream().map(item -> normalize(item, null)).toList();
        }
        return node;
    }

    private static List<Object> listOf(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }
}
