package dev.stackfleet.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;

/**
 * The one JSON mapper of the command line: {@code --json} output (instants as ISO-8601 strings, pretty
 * printed), execution inputs and the parsing of execution inputs.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    private Json() {}

    /** Prints a value (records, lists, maps) as JSON on its own lines. */
    static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for " + value.getClass(), e);
        }
        out.flush();
    }

    /** The compact JSON text of a value, e.g. an execution input. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for " + value.getClass(), e);
        }
    }

    /** Parses JSON text, e.g. an execution's input; {@code null} or invalid text is an {@link OpsException}. */
    static JsonNode parse(String text, String what) {
        if (text == null) {
            throw new OpsException(what + " is not available");
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new OpsException(what + " is not JSON: " + e.getOriginalMessage());
        }
    }
}
