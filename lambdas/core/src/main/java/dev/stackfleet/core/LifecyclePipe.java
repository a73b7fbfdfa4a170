package dev.stackfleet.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What the lifecycle-event pipe does with the table's stream (docs/lifecycle-events.md), defined once in
 * {@value #FILE} and read by the CDK app (the EventBridge Pipe) and by local mode (its stand-in).
 *
 * @param source the events' {@code source}
 * @param detailType the events' {@code detail-type}
 * @param filters the pipe's filter patterns as compact JSON strings; a record passes when any matches
 * @param inputTemplate the pipe's input template as compact JSON: the events' {@code detail}
 */
public record LifecyclePipe(String source, String detailType, List<String> filters, String inputTemplate) {

    /** Where the definition lives, relative to the repository root. */
    public static final String FILE = "cdk/src/main/resources/lifecycle-events.json";

    /** Fixed, so that subscribers in other stacks and accounts can name the bus. */
    public static final String BUS_NAME = "stackfleet-lifecycle";

    /** Records per batch: PutEvents takes at most 10 entries, so one batch is one call. */
    public static final int BATCH_SIZE = 10;

    /** EventBridge Pipes accepts at most this many filter patterns. */
    public static final int MAX_FILTERS = 5;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("source", "detailType", "filters", "inputTemplate");

    public LifecyclePipe {
        filters = List.copyOf(filters);
        if (filters.isEmpty() || filters.size() > MAX_FILTERS) {
            throw new IllegalArgumentException(
                    "A pipe takes 1 to " + MAX_FILTERS + " filter patterns, not " + filters.size());
        }
    }

    /** Reads a definition file, e.g. {@value #FILE} under the repository root. */
    public static LifecyclePipe read(Path file) {
        try {
            return parse(MAPPER.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    /** Reads a definition in the format of {@value #FILE}; every field is required, no other is allowed. */
    public static LifecyclePipe parse(JsonNode json) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(
                        "The lifecycle pipe has an unknown field '" + name + "'; known: " + FIELDS);
            }
        }
        List<String> patterns = new ArrayList<>();
        for (JsonNode pattern : required(json, "filters")) {
            if (!pattern.isObject()) {
                throw new IllegalArgumentException("Each filter must be a JSON object, got: " + pattern);
            }
            patterns.add(pattern.toString());
        }
        JsonNode template = required(json, "inputTemplate");
        if (!template.isObject()) {
            throw new IllegalArgumentException("inputTemplate must be a JSON object, got: " + template);
        }
        return new LifecyclePipe(
                required(json, "source").asText(),
                required(json, "detailType").asText(),
                patterns,
                template.toString());
    }

    private static JsonNode required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("The lifecycle pipe lacks '" + field + "'");
        }
        return value;
    }
}
