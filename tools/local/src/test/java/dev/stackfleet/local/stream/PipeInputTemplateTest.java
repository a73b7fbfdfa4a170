package dev.stackfleet.local.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipeInputTemplateTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void quotedPathsBecomeTheirValuesAsStringsAndLiteralsStay() throws Exception {
        PipeInputTemplate template = PipeInputTemplate.of(
                "{\"v\": \"1\", \"s\": \"<$.a.s>\", \"n\": \"<$.a.n>\", \"b\": \"<$.a.b>\", \"nested\": {\"s\": \"<$.a.s>\"}}");

        JsonNode rendered = template.render(json("{\"a\": {\"s\": \"x\\\"y\", \"n\": 12.5, \"b\": true}}"));

        assertEquals(
                json(
                        "{\"v\": \"1\", \"s\": \"x\\\"y\", \"n\": \"12.5\", \"b\": \"true\", \"nested\": {\"s\": \"x\\\"y\"}}"),
                rendered);
    }

    @Test
    void aMissingPathBecomesTheEmptyString() throws Exception {
        PipeInputTemplate template = PipeInputTemplate.of("{\"s\": \"<$.dynamodb.NewImage.status.S>\"}");

        assertEquals(json("{\"s\": \"\"}"), template.render(json("{\"dynamodb\": {\"OldImage\": {}}}")));
    }

    @Test
    void aQuotedObjectFailsLoudly() {
        PipeInputTemplate template = PipeInputTemplate.of("{\"s\": \"<$.a>\"}");

        assertThrows(IllegalArgumentException.class, () -> template.render(json("{\"a\": {\"b\": 1}}")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"s\": <$.a>}",
                "{\"s\": \"id <$.a>\"}",
                "{\"s\": \"<$.a[0]>\"}",
                "{\"s\": \"<$.*>\"}",
                "{\"s\": \"<aws.pipes.event.ingestion-time>\"}",
                "{\"<$.a>\": \"x\"}",
                "\"<$.a>\""
            })
    void whatTheStandInCannotRenderAsPipesDoesIsRefused(String text) {
        assertThrows(RuntimeException.class, () -> PipeInputTemplate.of(text));
    }
}
