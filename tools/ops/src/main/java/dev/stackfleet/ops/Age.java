package dev.stackfleet.ops;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses an age or a length of time: {@code 45s}, {@code 30m}, {@code 2h}, {@code 1d}, {@code 2w}. */
public final class Age implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern AGE = Pattern.compile("(\\d+)([smhdw])");

    @Override
    public Duration convert(String value) {
        return parse(value)
                .orElseThrow(() -> new CommandLine.TypeConversionException(
                        "'" + value + "' is not a length of time: use 45s, 30m, 2h, 1d or 2w"));
    }

    /** The length of time, or empty when the text is not one. */
    static Optional<Duration> parse(String value) {
        Matcher age = AGE.matcher(value.strip());
        if (!age.matches()) {
            return Optional.empty();
        }
        Duration unit = switch (age.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            default -> Duration.ofDays(7);
        };
        return Optional.of(unit.multipliedBy(Long.parseLong(age.group(1))));
    }
}
