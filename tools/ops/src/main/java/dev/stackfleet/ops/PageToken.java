package dev.stackfleet.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB LastEvaluatedKey as an opaque text for a link: the key's string attributes as URL-safe base64 JSON.
 * The table's keys and the {@code by-status} index's keys are all strings.
 */
final class PageToken {

    private PageToken() {}

    static String encode(Map<String, AttributeValue> key) {
        Map<String, String> plain = new TreeMap<>();
        key.forEach((name, value) -> plain.put(name, value.s()));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Json.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    /** The key of a token; an {@link IllegalArgumentException} (the caller's error) for a token this did not make. */
    static Map<String, AttributeValue> decode(String token) {
        IllegalArgumentException notOurs =
                new IllegalArgumentException("not a page token: " + token + " (follow the page's own links)");
        JsonNode json;
        try {
            json = Json.parse(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8), "a page token");
        } catch (IllegalArgumentException | OpsException e) {
            throw notOurs;
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        json.properties().forEach(field -> {
            if (!field.getValue().isTextual()) {
                throw notOurs;
            }
            key.put(field.getKey(), AttributeValue.fromS(field.getValue().asText()));
        });
        if (key.isEmpty()) {
            throw notOurs;
        }
        return key;
    }
}
