package dev.stackfleet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.bench.stream.StreamBatchesBenchmark;
import org.junit.jupiter.api.Test;

class StreamBatchesSmokeIT {

    @Test
    void every_batch_is_measured_for_both_variants_against_its_limit_with_starts_in_parallel() throws Exception {
        // GIVEN the benchmark's smoke sizes WHEN it runs (it fails itself unless every record started exactly once)
        JsonNode result = SmokeRun.of("stream-batches", StreamBatchesBenchmark::main);

        // THEN each batch has both medians, the limit of its size and concurrent starts
        int concurrency = result.path("concurrency").asInt();
        int latency = result.path("latency_ms").asInt();
        assertTrue(result.path("batches").size() >= 2, result.toString());
        for (JsonNode batch : result.path("batches")) {
            int records = batch.path("records").asInt();
            assertEquals(
                    Math.ceil(records / (double) concurrency) * latency,
                    batch.path("limit_ms").asDouble());
            assertTrue(
                    batch.path("handler_ms").asDouble() > 0
                            && batch.path("loop_ms").asDouble() > 0,
                    batch.toString());
            assertTrue(batch.path("peak_in_flight").asInt() > 1, "the handler started no two executions at once");
            assertEquals(
                    batch.path("rounds").asInt(),
                    batch.path("handler_samples_ms").size());
        }
    }
}
