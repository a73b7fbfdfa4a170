package dev.stackfleet.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Parses {@code --since}: a relative age ({@code 45s}, {@code 30m}, {@code 2h}, {@code 1d}, {@code 2w}) counted
 * back from now, an ISO-8601 instant ({@code 2025-11-27T08:00:00Z}, with an offset or without seconds'
 * fraction) or a date ({@code 2025-11-27}, midnight UTC).
 */
public final class Since implements CommandLine.ITypeConverter<Instant> {

    private final Clock clock;

    /** Counts relative ages back from the system clock; picocli uses this constructor. */
    public Since() {
        this(Clock.systemUTC());
    }

    Since(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
        String text = value.strip();
        Optional<Duration> age = Age.parse(text);
        if (age.isPresent()) {
            return clock.instant().minus(age.get());
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a time: use an age such as"
                        + " 30m, 2h, 1d or 2w, or an ISO-8601 time such as 2025-11-27T08:00:00Z or 2025-11-27");
            }
        }
    }
}
