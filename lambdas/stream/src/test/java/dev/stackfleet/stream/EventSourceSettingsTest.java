package dev.stackfleet.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.core.EventSourceSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventSourceSettingsTest {

    @Test
    void shippedSettingsAreTheContractOnes() {
        // WHEN the settings shipped in the jar are loaded
        EventSourceSettings settings = EventSourceSettings.load();

        // THEN they are those of docs/contracts.md, with one filter per kind of candidate record
        assertEquals(10, settings.batchSize());
        assertEquals(1, settings.maxBatchingWindowSeconds());
        assertEquals(-1, settings.maxRetryAttempts(), "retried until the records expire");
        assertEquals(
                82800,
                settings.maxRecordAgeSeconds(),
                "23 hours: sent to the on-failure destination before the stream's retention trims it");
        assertEquals(true, settings.bisectBatchOnError());
        assertEquals(4, settings.filters().size());
        assertEquals(
                "{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"generation\":{\"N\":[{\"exists\":true}]}}}}",
                settings.filters().get(0));
        assertEquals(
                Map.of(
                        "eventName",
                        List.of("REMOVE"),
                        "dynamodb",
                        Map.of("OldImage", Map.of("generation", Map.of("N", List.of(Map.of("exists", true)))))),
                settings.filterMaps().get(3));
    }

    @Test
    void missingFieldIsNamed() throws Exception {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> EventSourceSettings.parse(new ObjectMapper().readTree("{\"batchSize\": 10, \"filters\": [{}]}")));
        assertEquals("Event source settings lack 'maxBatchingWindowSeconds'", e.getMessage());
    }
}
