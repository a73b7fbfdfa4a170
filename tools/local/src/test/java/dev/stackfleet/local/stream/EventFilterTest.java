package dev.stackfleet.local.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.core.EventSourceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFilterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path EVENTS = Path.of("../../test-events/stream");

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static boolean matches(String pattern, String record) throws Exception {
        return EventFilter.of(List.of(pattern)).matches(json(record));
    }

    @Test
    void exactValuesAreAlternatives() throws Exception {
        String pattern = "{\"eventName\": [\"INSERT\", \"MODIFY\"]}";
        assertTrue(matches(pattern, "{\"eventName\": \"MODIFY\"}"));
        assertFalse(matches(pattern, "{\"eventName\": \"REMOVE\"}"));
        assertFalse(matches(pattern, "{\"other\": \"INSERT\"}"));
    }

    @Test
    void nestedObjectsMustAllMatch() throws Exception {
        String pattern =
                "{\"eventName\": [\"MODIFY\"], \"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"UPDATE_PENDING\"]}}}}";
        assertTrue(
                matches(
                        pattern,
                        "{\"eventName\": \"MODIFY\", \"dynamodb\": {\"NewImage\": {\"status\": {\"S\": \"UPDATE_PENDING\"}}}}"));
        assertFalse(
                matches(
                        pattern,
                        "{\"eventName\": \"INSERT\", \"dynamodb\": {\"NewImage\": {\"status\": {\"S\": \"UPDATE_PENDING\"}}}}"));
        assertFalse(matches(
                pattern,
                "{\"eventName\": \"MODIFY\", \"dynamodb\": {\"NewImage\": {\"status\": {\"S\": \"ACTIVE\"}}}}"));
        assertFalse(matches(pattern, "{\"eventName\": \"MODIFY\", \"dynamodb\": {}}"));
    }

    @Test
    void existsTrueNeedsALeafAndExistsFalseItsAbsence() throws Exception {
        String present = "{\"d\": {\"g\": {\"N\": [{\"exists\": true}]}}}";
        String absent = "{\"d\": {\"g\": {\"BOOL\": [{\"exists\": false}]}}}";
        assertTrue(matches(present, "{\"d\": {\"g\": {\"N\": \"1\"}}}"));
        assertFalse(matches(present, "{\"d\": {\"k\": {\"N\": \"1\"}}}"));
        assertFalse(matches(present, "{\"d\": {\"g\": {\"N\": {\"x\": 1}}}}"));
        assertTrue(matches(absent, "{\"d\": {\"k\": {\"S\": \"x\"}}}"));
        assertTrue(matches(absent, "{}"), "an absent enclosing object means the field is absent too");
        assertFalse(matches(absent, "{\"d\": {\"g\": {\"BOOL\": false}}}"));
    }

    @Test
    void anythingButNeedsThePresentFieldToDiffer() throws Exception {
        String one = "{\"s\": [{\"anything-but\": \"ACTIVE\"}]}";
        String many = "{\"s\": [{\"anything-but\": [\"ACTIVE\", \"CREATING\"]}]}";
        assertTrue(matches(one, "{\"s\": \"DELETING\"}"));
        assertFalse(matches(one, "{\"s\": \"ACTIVE\"}"));
        assertFalse(matches(one, "{}"), "anything-but does not match a missing field");
        assertTrue(matches(many, "{\"s\": \"UPDATING\"}"));
        assertFalse(matches(many, "{\"s\": \"CREATING\"}"));
    }

    @Test
    void valuesTypesAndArrays() throws Exception {
        assertTrue(matches("{\"b\": [true]}", "{\"b\": true}"));
        assertFalse(matches("{\"b\": [true]}", "{\"b\": \"true\"}"));
        assertTrue(matches("{\"n\": [5]}", "{\"n\": 5.0}"));
        assertTrue(matches("{\"x\": [null]}", "{\"x\": null}"));
        assertTrue(matches("{\"tags\": [\"b\"]}", "{\"tags\": [\"a\", \"b\"]}"));
        assertTrue(matches("{\"id\": [{\"prefix\": \"gs-\"}]}", "{\"id\": \"gs-abc\"}"));
        assertFalse(matches("{\"id\": [{\"prefix\": \"gs-\"}]}", "{\"id\": \"xs-abc\"}"));
    }

    @Test
    void anyPatternMayMatch() throws Exception {
        EventFilter filter = EventFilter.of(List.of("{\"eventName\": [\"INSERT\"]}", "{\"eventName\": [\"REMOVE\"]}"));
        assertTrue(filter.matches(json("{\"eventName\": \"REMOVE\"}")));
        assertFalse(filter.matches(json("{\"eventName\": \"MODIFY\"}")));
    }

    @Test
    void unsupportedOperatorsAreRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> EventFilter.of(List.of("{\"n\": [{\"numeric\": [\">\", 0]}]}")));
        assertTrue(e.getMessage().contains("not supported locally"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventFilter.of(List.of("{\"n\": \"INSERT\"}")));
    }

    @ParameterizedTest
    @CsvSource({
        "insert.json, true",
        "insert-keys-only.json, false",
        "modify-config-change.json, true",
        "modify-status-only.json, false",
        "modify-delete-requested.json, true",
        "remove-by-operator.json, true",
        "remove-finished-deprovision.json, true"
    })
    void shippedFiltersLetThroughExactlyTheCandidateRecords(String file, boolean expected) throws Exception {
        // GIVEN the filters the event source mapping is deployed with
        EventFilter filter = EventFilter.of(EventSourceSettings.load().filters());

        // WHEN a raw record of each kind is matched
        JsonNode record = MAPPER.readTree(Files.readString(EVENTS.resolve(file)))
                .get("Records")
                .get(0);

        // THEN only those that may carry an intent pass
        assertEquals(expected, filter.matches(record), file);
    }
}
