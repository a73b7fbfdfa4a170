package dev.stackfleet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.bench.e2e.LocalEndToEndBenchmark;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalEndToEndSmokeIT {

    @Test
    void every_create_is_split_into_its_parts_from_real_timestamps() throws Exception {
        // GIVEN a few creates in local mode WHEN the benchmark has read their items and execution histories
        JsonNode result = SmokeRun.of("local-e2e", LocalEndToEndBenchmark::main);

        // THEN every part has one sample per server, in order: nothing happened before what caused it
        int servers = result.path("servers").asInt();
        for (String part : List.of("total", "stream_pickup", "execution_start", "workflow", "status_write")) {
            JsonNode row = result.path("parts_ms").path(part);
            assertEquals(servers, row.path("samples").size(), part);
            for (JsonNode sample : row.path("samples")) {
                assertTrue(sample.asDouble() >= 0, part + " went backwards: " + row);
            }
            assertTrue(row.path("p50").asDouble() <= row.path("p95").asDouble(), part + ": " + row);
        }
        assertTrue(result.at("/parts_ms/total/p50").asDouble()
                >= result.at("/parts_ms/workflow/p50").asDouble());
    }
}
