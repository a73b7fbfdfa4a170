package dev.stackfleet.local.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lambda event filtering (the event source mapping's {@code FilterCriteria}) for the local poller: a record passes
 * when any pattern matches it.
 *
 * <p>The supported subset of the pattern syntax: nested objects (every field must match), arrays of alternatives
 * (any may match), exact values (strings, numbers compared numerically, booleans, null), {@code {"exists": true}}
 * (the field is present and not an object), {@code {"exists": false}} (the field is absent, also when an enclosing
 * object is), {@code {"anything-but": value or [values]}} (present and none of them) and {@code {"prefix": "..."}}.
 * A field whose value in the record is an array matches when any element does. Any other operator is refused when
 * the filter is built, so a pattern the poller cannot honour fails loudly instead of filtering differently from
 * Lambda.
 */
public final class EventFilter {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> OPERATORS = Set.of("exists", "anything-but", "prefix");

    private final List<JsonNode> patterns;

    private EventFilter(List<JsonNode> patterns) {
        this.patterns = patterns;
    }

    /** Builds the filter from patterns as JSON strings (as in {@code stream-event-source.json}). */
    public static EventFilter of(List<String> patterns) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String pattern : patterns) {
            try {
                JsonNode node = MAPPER.readTree(pattern);
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException("A filter pattern must be a JSON object: " + pattern);
                }
                validateObject(node, "");
                parsed.add(node);
            } catch (IOException e) {
                throw new UncheckedIOException("Not a JSON filter pattern: " + pattern, e);
            }
        }
        return new EventFilter(List.copyOf(parsed));
    }

    /** True when any pattern matches the record (in Lambda's JSON shape); an empty filter passes everything. */
    public boolean matches(JsonNode record) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (JsonNode pattern : patterns) {
            if (matchesObject(pattern, record)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode value) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode child = value != null && value.isObject() ? value.get(field.getKey()) : null;
            boolean matched = field.getValue().isObject()
                    ? matchesObject(field.getValue(), child)
                    : matchesAny(field.getValue(), child);
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(JsonNode rules, JsonNode value) {
        for (JsonNode rule : rules) {
            if (matchesRule(rule, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesRule(JsonNode rule, JsonNode value) {
        if (rule.isObject() && rule.has("exists")) {
            boolean present = value != null && !value.isMissingNode();
            return rule.get("exists").asBoolean() ? present && !value.isObject() : !present;
        }
        if (value == null || value.isMissingNode() || value.isObject()) {
            return false;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (matchesRule(rule, element)) {
                    return true;
                }
            }
            return false;
        }
        if (rule.isObject() && rule.has("anything-but")) {
            JsonNode excluded = rule.get("anything-but");
            if (excluded.isArray()) {
                for (JsonNode each : excluded) {
                    if (sameValue(each, value)) {
                        return false;
                    }
                }
                return true;
            }
            return !sameValue(excluded, value);
        }
        if (rule.isObject() && rule.has("prefix")) {
            return value.isTextual()
                    && value.asText().startsWith(rule.get("prefix").asText());
        }
        return sameValue(rule, value);
    }

    private static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return new BigDecimal(expected.asText()).compareTo(new BigDecimal(actual.asText())) == 0;
        }
        return expected.equals(actual);
    }

    private static void validateObject(JsonNode pattern, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String where = path + "/" + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                validateObject(value, where);
            } else if (value.isArray()) {
                for (JsonNode rule : value) {
                    validateRule(rule, where);
                }
            } else {
                throw new IllegalArgumentException(
                        "Filter field " + where + " must be an object or an array of alternatives, got: " + value);
            }
        }
    }

    private static void validateRule(JsonNode rule, String where) {
        if (rule.isArray()) {
            throw new IllegalArgumentException("Nested array in filter at " + where);
        }
        if (!rule.isObject()) {
            return;
        }
        if (rule.size() != 1 || !OPERATORS.contains(rule.fieldNames().next())) {
            throw new IllegalArgumentException("Filter operator at " + where + " is not supported locally: " + rule
                    + " (supported: exact values, " + OPERATORS + ")");
        }
        JsonNode operand = rule.elements().next();
        String operator = rule.fieldNames().next();
        boolean ok = switch (operator) {
            case "exists" -> operand.isBoolean();
            case "prefix" -> operand.isTextual();
            default -> operand.isValueNode() || (operand.isArray() && allValues(operand));
        };
        if (!ok) {
            throw new IllegalArgumentException("Malformed '" + operator + "' at " + where + ": " + rule);
        }
    }

    private static boolean allValues(JsonNode array) {
        for (JsonNode each : array) {
            if (!each.isValueNode()) {
                return false;
            }
        }
        return true;
    }
}
