package dev.stackfleet.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small JSON helpers for the tests. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** A JSON tree of a map or of a JSON string, to compare documents regardless of formatting. */
    static JsonNode tree(Object value) {
        try {
            return value instanceof String text ? MAPPER.readTree(text) : MAPPER.valueToTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + value, e);
        }
    }

    /** Every value stored under {@code key} anywhere in a nested structure of maps and lists. */
    static List<Object> findAll(Object node, String key) {
        List<Object> found = new ArrayList<>();
        collect(node, key, found);
        return found;
    }

    private static void collect(Object node, String key, List<Object> found) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (key.equals(k)) {
                    found.add(v);
                }
                collect(v, key, found);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, key, found));
        }
    }
}
