package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderingTest {

    @Test
    void givenRowsOfDifferentWidths_whenPrinted_thenColumnsAlignAndMissingValuesShowAsDash() {
        StringWriter text = new StringWriter();
        new TextTable("ID", "STATUS", "REASON")
                .row("gs-a", "ACTIVE", null)
                .row("gs-bbbbbb", "UPDATE_FAILED", "the stack is gone")
                .print(new PrintWriter(text));

        assertEquals("""
                ID         STATUS         REASON
                gs-a       ACTIVE         -
                gs-bbbbbb  UPDATE_FAILED  the stack is gone
                """, text.toString());
    }

    @Test
    void givenARowWithTheWrongNumberOfValues_whenAdded_thenItIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable("A", "B").row("only one"));
    }

    @Test
    void givenAValueWithInstants_whenPrintedAsJson_thenInstantsAreIsoStrings() {
        StringWriter text = new StringWriter();
        Json.print(new PrintWriter(text), Map.of("at", Instant.parse("2025-11-27T08:00:00Z")));

        JsonNode json = Json.parse(text.toString(), "output");
        assertEquals("2025-11-27T08:00:00Z", json.get("at").asText());
    }

    @Test
    void givenDurations_whenFormatted_thenTheTwoLargestUnitsShow() {
        assertEquals("850ms", Formats.duration(Duration.ofMillis(850)));
        assertEquals("42s", Formats.duration(Duration.ofSeconds(42)));
        assertEquals("3m05s", Formats.duration(Duration.ofSeconds(185)));
        assertEquals("2h10m", Formats.duration(Duration.ofMinutes(130)));
        assertEquals("4d03h", Formats.duration(Duration.ofHours(99)));
        assertEquals(
                "5m00s ago", Formats.age(Instant.parse("2025-11-27T08:00:00Z"), Instant.parse("2025-11-27T08:05:00Z")));
    }

    @Test
    void givenLongMultiLineText_whenAbbreviated_thenItIsOneLineWithAnEllipsis() {
        assertEquals("a b c…", Formats.abbreviate("a\n b   c d e f", 6));
    }
}
