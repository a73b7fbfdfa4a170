package dev.stackfleet.local.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge Pipes input template (the pipe's {@code InputTemplate}) for the local stand-in of a pipe, applied to
 * a stream record in Lambda's JSON shape, which is the shape a pipe reads.
 *
 * <p>The supported subset: a JSON object whose string values are literals or exactly one quoted placeholder
 * {@code "<$.a.b.c>"}, a dot-notation path to a string, number or boolean of the record. The placeholder becomes that
 * value as a string (properly escaped: Pipes keeps the output valid JSON), or the empty string when the record has no
 * such path, as Pipes renders a missing path. Anything else (unquoted placeholders, text around a placeholder,
 * brackets, wildcards, reserved {@code aws.pipes.*} variables) is refused when the template is built, so a template
 * the stand-in cannot honour fails loudly instead of rendering differently from Pipes.
 */
public final class PipeInputTemplate {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("<([^<>]*)>");
    private static final Pattern DOT_PATH = Pattern.compile("\\$(\\.[A-Za-z0-9_-]+)+");

    private final ObjectNode template;

    private PipeInputTemplate(ObjectNode template) {
        this.template = template;
    }

    /** Builds the template from its text, e.g. {@code LifecyclePipe.inputTemplate()}. */
    public static PipeInputTemplate of(String text) {
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "The input template is not JSON (unquoted placeholders are not supported " + "locally): " + text,
                    e);
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException("The input template must be a JSON object: " + text);
        }
        validate(parsed, "");
        return new PipeInputTemplate((ObjectNode) parsed);
    }

    /** The template applied to one record. */
    public ObjectNode render(JsonNode record) {
        return (ObjectNode) render(template, record);
    }

    private static JsonNode render(JsonNode node, JsonNode record) {
        if (node.isObject()) {
            ObjectNode rendered = MAPPER.createObjectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                rendered.set(field.getKey(), render(field.getValue(), record));
            }
            return rendered;
        }
        if (node.isTextual()) {
            Matcher placeholder = PLACEHOLDER.matcher(node.asText());
            if (placeholder.matches()) {
                return MAPPER.getNodeFactory().textNode(valueAt(record, placeholder.group(1)));
            }
        }
        return node;
    }

    private static String valueAt(JsonNode record, String path) {
        JsonNode value = record;
        for (String name : path.substring(2).split("\\.", -1)) {
            value = value.path(name);
        }
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isValueNode()) {
            throw new IllegalArgumentException("The input template quotes " + path + ", which is " + value
                    + " in this record: only strings, numbers and booleans can be quoted");
        }
        return value.asText();
    }

    private static void validate(JsonNode node, String where) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (PLACEHOLDER.matcher(field.getKey()).find()) {
                    throw new IllegalArgumentException(
                            "A placeholder cannot be a key: " + where + "/" + field.getKey());
                }
                validate(field.getValue(), where + "/" + field.getKey());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                validate(element, where + "[]");
            }
        } else if (node.isTextual()) {
            Matcher placeholder = PLACEHOLDER.matcher(node.asText());
            if (placeholder.matches()) {
                if (!DOT_PATH.matcher(placeholder.group(1)).matches()) {
                    throw new IllegalArgumentException("Placeholder at " + where + " is not supported locally: "
                            + node.asText() + " (supported: \"<$.dot.path>\")");
                }
            } else if (placeholder.reset().find()) {
                throw new IllegalArgumentException(
                        "Text around a placeholder at " + where + " is not supported locally: " + node.asText());
            }
        }
    }
}
