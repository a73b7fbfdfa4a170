package dev.stackfleet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.bench.burst.BurstBenchmark;
import org.junit.jupiter.api.Test;

class BurstSmokeIT {

    @Test
    void a_small_burst_ends_all_active_with_one_execution_per_intent_and_one_stack_per_server() throws Exception {
        // GIVEN creates across several owners as fast as the API takes them WHEN the fleet is quiet
        JsonNode result = SmokeRun.of("burst", BurstBenchmark::main);

        // THEN every server is ACTIVE, started once, with one stack, and the wall time is accounted for
        int servers = result.path("servers").asInt();
        assertTrue(result.path("owners").asInt() > 1, result.toString());
        assertEquals(servers, result.path("active").asInt(), result.toString());
        assertEquals(servers, result.path("executions").asInt(), result.toString());
        assertTrue(result.path("one_execution_per_intent").asBoolean(), result.toString());
        assertTrue(
                result.path("one_stack_per_server").asBoolean(),
                result.path("violations").toString());
        assertTrue(
                result.path("wall_ms").asLong()
                        >= result.at("/phases_ms/api_accepts_all").asLong(),
                result.toString());
    }
}
