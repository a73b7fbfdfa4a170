package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class SinceTest {

    private static final Instant NOW = Instant.parse("2025-11-27T12:00:00Z");
    private final Since since = new Since(Clock.fixed(NOW, ZoneOffset.UTC));

    @ParameterizedTest
    @CsvSource({
        "45s, 2025-11-27T11:59:15Z",
        "30m, 2025-11-27T11:30:00Z",
        "2h, 2025-11-27T10:00:00Z",
        "1d, 2025-11-26T12:00:00Z",
        "2w, 2025-11-13T12:00:00Z",
        "2025-11-27T08:00:00Z, 2025-11-27T08:00:00Z",
        "2025-11-27T08:00:00.250Z, 2025-11-27T08:00:00.250Z",
        "2025-11-27T10:00:00+02:00, 2025-11-27T08:00:00Z",
        "2025-11-20, 2025-11-20T00:00:00Z"
    })
    void givenAnAgeOrAnIsoTime_whenConverted_thenItIsThatInstant(String text, String expected) {
        assertEquals(Instant.parse(expected), since.convert(text));
    }

    @Test
    void givenSomethingElse_whenConverted_thenTheErrorShowsTheAcceptedForms() {
        CommandLine.TypeConversionException e =
                assertThrows(CommandLine.TypeConversionException.class, () -> since.convert("yesterday"));
        assertTrue(e.getMessage().contains("30m, 2h, 1d"), e.getMessage());
    }

    @Test
    void givenAnInstant_whenUsedAsAnIndexBound_thenItIsAPrefixOfEveryFormWrittenInThatSecond() {
        String bound = GameServerTable.sinceKey(Instant.parse("2025-11-27T08:00:00.700Z"));
        assertEquals("2025-11-27T08:00:00", bound);
        assertTrue("2025-11-27T08:00:00Z".compareTo(bound) >= 0);
        assertTrue("2025-11-27T08:00:00.5Z".compareTo(bound) >= 0);
        assertTrue("2025-11-27T07:59:59.999Z".compareTo(bound) < 0);
    }
}
