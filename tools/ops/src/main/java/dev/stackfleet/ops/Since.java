package dev.stackfleet.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses {@code --since}: a relative age ({@code 45s}, {@code 30m}, {@code 2h}, {@code 1d}, {@code 2w}) counted
 * back from now, an ISO-8601 instant ({@code 2025-11-27T08:00:00Z}, with an offset or without seconds'
 * fraction) or a date ({@code 2025-11-27}, midnight UTC).
 */
public final class Since implements CommandLine.ITypeConverter<Instant> {

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhdw])");

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
        Matcher relative = RELATIVE.matcher(text);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration unit = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return clock.instant().minus(unit.multipliedBy(amount));
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
