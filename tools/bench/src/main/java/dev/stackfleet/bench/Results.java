package dev.stackfleet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A benchmark's results as {@code <out>/<name>.json}, the file the renderer reads. */
public final class Results {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Results() {}

    /** A new result object that names its benchmark and whether it was a smoke run. */
    public static ObjectNode start(String benchmark, BenchOptions options) {
        ObjectNode result = JSON.createObjectNode();
        result.put("benchmark", benchmark);
        result.put("smoke", options.smoke());
        return result;
    }

    /** Rounds a duration in milliseconds to a tenth, enough for medians of noisy runs. */
    public static double ms(double millis) {
        return Math.round(millis * 10) / 10.0;
    }

    /** A ratio rounded to two decimals. */
    public static double ratio(double numerator, double denominator) {
        return Math.round(numerator / denominator * 100) / 100.0;
    }

    /** Every sample of a variant, in milliseconds, so that the spread behind a median can be plotted. */
    public static ArrayNode samples(Samples samples) {
        ArrayNode values = JSON.createArrayNode();
        samples.values().forEach(value -> values.add(ms(value)));
        return values;
    }

    public static Path write(BenchOptions options, ObjectNode result) {
        Path file = options.out().resolve(result.path("benchmark").asText() + ".json");
        try {
            Files.createDirectories(options.out());
            JSON.writeValue(file.toFile(), result);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        System.out.println("wrote " + file);
        return file;
    }
}
