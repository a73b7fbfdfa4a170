package dev.stackfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Runs one benchmark's main with {@code --smoke} into {@code target/smoke/} and reads back what it wrote. */
final class SmokeRun {

    private SmokeRun() {}

    interface Main {
        void run(String[] args) throws Exception;
    }

    static JsonNode of(String benchmark, Main main) throws Exception {
        Path out = Path.of("target", "smoke", benchmark);
        main.run(new String[] {"--out", out.toString(), "--smoke"});
        try {
            JsonNode result =
                    new ObjectMapper().readTree(out.resolve(benchmark + ".json").toFile());
            if (!benchmark.equals(result.path("benchmark").asText())
                    || !result.path("smoke").asBoolean()) {
                throw new AssertionError("Not a smoke result of " + benchmark + ": " + result);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
