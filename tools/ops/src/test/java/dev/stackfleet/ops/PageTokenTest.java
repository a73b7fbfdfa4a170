package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class PageTokenTest {

    @Test
    void givenAnIndexKey_whenEncodedAndDecoded_thenItIsTheSameKey() {
        Map<String, AttributeValue> key = Map.of(
                "status", AttributeValue.fromS("ACTIVE"),
                "updated_at", AttributeValue.fromS("2026-11-30T21:00:00.5Z"),
                "owner", AttributeValue.fromS("alice & bob"),
                "gameserver_id", AttributeValue.fromS("gs-0123456789abcdefghij"));

        assertEquals(key, PageToken.decode(PageToken.encode(key)));
    }

    @Test
    void givenATokenThePageDidNotMake_whenDecoded_thenItIsTheCallersError() {
        for (String token : new String[] {"%%%", "bm90IGpzb24", "eyJhIjoxfQ"}) { // bad base64, not JSON, {"a":1}
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PageToken.decode(token));
            assertEquals("not a page token: " + token + " (follow the page's own links)", e.getMessage());
        }
    }
}
