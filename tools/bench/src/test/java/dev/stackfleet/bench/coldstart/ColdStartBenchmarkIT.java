package dev.stackfleet.bench.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The cold-start benchmark's smoke run: one round of one handler against the emulator, and the report's shape. */
class ColdStartBenchmarkIT {

    @Test
    void smokeRunWritesTheReportTheRendererReads() throws Exception {
        Path out = Path.of("target", "cold-start-smoke");

        ColdStartBenchmark.main(new String[] {"--out", out.toString(), "--smoke"});

        JsonNode report =
                new ObjectMapper().readTree(out.resolve("cold-start.json").toFile());
        assertEquals(Set.of("benchmark", "rounds", "jdk", "python", "handlers"), names(report));
        assertEquals("cold-start", report.get("benchmark").asText());
        assertEquals(1, report.get("rounds").asInt());
        assertTrue(
                report.get("jdk").asText().matches("\\d+(\\.\\d+)*"),
                report.get("jdk").asText());
        assertTrue(
                report.get("python").asText().startsWith("3.11"),
                report.get("python").asText());
        assertEquals(1, report.get("handlers").size());
        JsonNode handler = report.get("handlers").get(0);
        assertEquals(
                Set.of(
                        "handler",
                        "call",
                        "python_ms",
                        "java_ms",
                        "java_cached_ms",
                        "java_ratio",
                        "cached_ratio",
                        "java_classes"),
                names(handler));
        assertEquals("GetGameServerHandler", handler.get("handler").asText());
        assertEquals("GetItem", handler.get("call").asText());
        for (String field : List.of("python_ms", "java_ms", "java_cached_ms", "java_ratio", "cached_ratio")) {
            assertTrue(handler.get(field).asDouble() > 0, field + " = " + handler.get(field));
        }
        assertEquals(
                handler.get("java_ms").asDouble() / handler.get("python_ms").asDouble(),
                handler.get("java_ratio").asDouble(),
                0.01);
        assertEquals(
                handler.get("java_cached_ms").asDouble()
                        / handler.get("python_ms").asDouble(),
                handler.get("cached_ratio").asDouble(),
                0.01);
        // a JVM that started and ran the SDK loads thousands of classes; a count near zero means nothing was counted
        assertTrue(handler.get("java_classes").asLong() > 1000, "java_classes = " + handler.get("java_classes"));
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
