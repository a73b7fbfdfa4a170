package dev.stackfleet.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of the event source mapping that feeds the stream Lambda, defined once in the stream
 * module's {@value #RESOURCE} and read by the CDK app (the real mapping, from the file) and by the local
 * poller (its stand-in, from the classpath).
 *
 * @param batchSize most records per invocation
 * @param maxBatchingWindowSeconds how long records are gathered before an invocation
 * @param maxRetryAttempts retries of a failing batch before it goes to the on-failure destination, or
 *        {@value #UNTIL_EXPIRY} to retry until its records expire from the stream
 * @param maxRecordAgeSeconds records older than this go to the on-failure destination unprocessed, or
 *        {@value #UNTIL_EXPIRY} for the stream's own retention ({@link #STREAM_RETENTION})
 * @param bisectBatchOnError split a failing batch in two before retrying
 * @param filters Lambda filter patterns as compact JSON strings; a record passes when any matches
 */
public record EventSourceSettings(
        int batchSize,
        int maxBatchingWindowSeconds,
        int maxRetryAttempts,
        int maxRecordAgeSeconds,
        boolean bisectBatchOnError,
        List<String> filters) {

    /** Where the settings live on the stream module's classpath. */
    public static final String RESOURCE = "/stream-event-source.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of(
            "batchSize",
            "maxBatchingWindowSeconds",
            "maxRetryAttempts",
            "maxRecordAgeSeconds",
            "bisectBatchOnError",
            "filters");

    /** Lambda's word for "no limit" in both {@code maxRetryAttempts} and {@code maxRecordAgeSeconds}. */
    public static final int UNTIL_EXPIRY = -1;

    /** How long a DynamoDB stream keeps a record. */
    public static final Duration STREAM_RETENTION = Duration.ofHours(24);

    public EventSourceSettings {
        // Lambda accepts retries from 0 to 10,000 and a maximum record age from 60 seconds to 7 days, or -1 for each.
        boolean retriesValid =
                maxRetryAttempts == UNTIL_EXPIRY || (maxRetryAttempts >= 0 && maxRetryAttempts <= 10_000);
        boolean ageValid =
                maxRecordAgeSeconds == UNTIL_EXPIRY || (maxRecordAgeSeconds >= 60 && maxRecordAgeSeconds <= 604_800);
        if (batchSize < 1 || maxBatchingWindowSeconds < 0 || !retriesValid || !ageValid) {
            throw new IllegalArgumentException("Event source settings out of range: batchSize=" + batchSize
                    + ", maxBatchingWindowSeconds=" + maxBatchingWindowSeconds + ", maxRetryAttempts="
                    + maxRetryAttempts + ", maxRecordAgeSeconds=" + maxRecordAgeSeconds);
        }
        filters = List.copyOf(filters);
    }

    /** Whether a failing batch is retried until its records expire. */
    public boolean retriesUntilExpiry() {
        return maxRetryAttempts == UNTIL_EXPIRY;
    }

    /** How old a record may get before it goes to the on-failure destination unprocessed. */
    public Duration maxRecordAge() {
        return maxRecordAgeSeconds == UNTIL_EXPIRY ? STREAM_RETENTION : Duration.ofSeconds(maxRecordAgeSeconds);
    }

    /** Reads a settings file, e.g. {@code lambdas/stream/src/main/resources/stream-event-source.json}. */
    public static EventSourceSettings read(Path file) {
        try {
            return parse(MAPPER.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    /** Reads {@value #RESOURCE} from the classpath (the stream module's jar). */
    public static EventSourceSettings load() {
        try (InputStream in = EventSourceSettings.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return parse(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
    }

    /** Reads settings in the format of {@value #RESOURCE}; every field is required, no other is allowed. */
    public static EventSourceSettings parse(JsonNode json) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(
                        "Event source settings have an unknown field '" + name + "'; known: " + FIELDS);
            }
        }
        JsonNode filters = required(json, "filters");
        if (!filters.isArray() || filters.isEmpty()) {
            throw new IllegalArgumentException("filters must be a non-empty array of filter patterns");
        }
        List<String> patterns = new ArrayList<>();
        for (JsonNode pattern : filters) {
            if (!pattern.isObject()) {
                throw new IllegalArgumentException("Each filter must be a JSON object, got: " + pattern);
            }
            patterns.add(pattern.toString());
        }
        return new EventSourceSettings(
                required(json, "batchSize").asInt(),
                required(json, "maxBatchingWindowSeconds").asInt(),
                required(json, "maxRetryAttempts").asInt(),
                required(json, "maxRecordAgeSeconds").asInt(),
                required(json, "bisectBatchOnError").asBoolean(),
                patterns);
    }

    /** The filter patterns as nested maps and lists, e.g. for CDK's {@code FilterCriteria.filter(Map)}. */
    public List<Map<String, Object>> filterMaps() {
        List<Map<String, Object>> maps = new ArrayList<>();
        for (String pattern : filters) {
            try {
                maps.add(MAPPER.readValue(pattern, new TypeReference<Map<String, Object>>() {}));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return maps;
    }

    private static JsonNode required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("Event source settings lack '" + field + "'");
        }
        return value;
    }
}
