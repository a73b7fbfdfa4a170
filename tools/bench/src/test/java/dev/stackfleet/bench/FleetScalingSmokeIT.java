package dev.stackfleet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.bench.fleet.FleetScalingBenchmark;
import org.junit.jupiter.api.Test;

class FleetScalingSmokeIT {

    @Test
    void listings_and_reconcile_passes_are_measured_for_each_size() throws Exception {
        // GIVEN owners and fleets of the smoke sizes WHEN the benchmark lists them and runs passes over them
        JsonNode result = SmokeRun.of("fleet-scaling", FleetScalingBenchmark::main);

        // THEN each listing returned every page, and each pass counted its calls
        assertTrue(result.path("listing").size() >= 2, result.toString());
        for (JsonNode row : result.path("listing")) {
            assertEquals(
                    (row.path("items").asInt() + 99) / 100, row.path("pages").asInt(), row.toString());
            assertTrue(row.path("median_ms").asDouble() > 0, row.toString());
        }
        assertTrue(result.path("reconciler").size() >= 2, result.toString());
        for (JsonNode row : result.path("reconciler")) {
            assertTrue(row.path("calls").asInt() > 0, row.toString());
            assertTrue(row.path("calls_by_action").has("dynamodb:Query"), row.toString());
        }
    }
}
