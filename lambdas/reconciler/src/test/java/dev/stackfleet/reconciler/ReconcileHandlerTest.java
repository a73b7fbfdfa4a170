package dev.stackfleet.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileHandlerTest {

    @Test
    void thePassCountsAreOneEmbeddedMetricFormatLine() throws Exception {
        // GIVEN a pass that restarted one lost create and found two orphans
        ReconcileReport report = new ReconcileReport(
                Instant.parse("2026-11-30T12:00:00Z"),
                400,
                false,
                true,
                Map.of("active", 3),
                List.of(
                        new Finding(
                                Finding.Kind.STUCK,
                                "gs-a",
                                "alice",
                                "stackfleet-gs-a",
                                "no execution",
                                "started gs-a-create-g1"),
                        new Finding(Finding.Kind.ORPHAN, "gs-b", "bob", "stackfleet-gs-b", "no item", "reported"),
                        new Finding(Finding.Kind.ORPHAN, "gs-c", "bob", "stackfleet-gs-c", "no item", "reported")),
                Map.of());

        // WHEN
        JsonNode line = new ObjectMapper().readTree(ReconcileHandler.metrics(report));

        // THEN CloudWatch reads each count as a metric of the stackfleet namespace, without dimensions
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertEquals("stackfleet", directive.path("Namespace").asText());
        assertEquals("[[]]", directive.path("Dimensions").toString());
        List<String> names = new ArrayList<>();
        directive.path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
        assertEquals(
                List.of("DriftedServers", "OrphanStacks", "RepairsStarted", "StuckServers", "Unresolved"),
                names.stream().sorted().toList());
        assertEquals(
                Instant.parse("2026-11-30T12:00:00Z").toEpochMilli(),
                line.at("/_aws/Timestamp").asLong());
        assertEquals(2, line.path("OrphanStacks").asLong());
        assertEquals(1, line.path("StuckServers").asLong());
        assertEquals(1, line.path("RepairsStarted").asLong());
        assertEquals(0, line.path("DriftedServers").asLong());
    }
}
