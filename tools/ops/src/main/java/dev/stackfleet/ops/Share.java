package dev.stackfleet.ops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A number of servers given as a count ({@code 5}) or as a percentage of a whole ({@code 20%}), as StackSets takes its
 * concurrency and failure tolerance.
 *
 * @param value the count, or the percentage
 * @param percent whether {@code value} is a percentage
 */
record Share(int value, boolean percent) {

    private static final Pattern SHARE = Pattern.compile("(\\d+)(%?)");

    /** How many servers of {@code total}: a percentage rounded down (a tolerance never grows by rounding). */
    int floorOf(int total) {
        return percent ? total * value / 100 : value;
    }

    /** How many servers of {@code total}, at least one: a percentage rounded up (a wave never rounds to nothing). */
    int atLeastOneOf(int total) {
        return Math.max(1, percent ? (total * value + 99) / 100 : value);
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }

    /** Parses {@code 5} or {@code 20%}. */
    static final class Converter implements CommandLine.ITypeConverter<Share> {
        @Override
        public Share convert(String text) {
            Matcher share = SHARE.matcher(text.strip());
            if (!share.matches() || (!share.group(2).isEmpty() && Integer.parseInt(share.group(1)) > 100)) {
                throw new CommandLine.TypeConversionException(
                        "'" + text + "' is not a number of servers: use a count (5) or a percentage (20%)");
            }
            return new Share(Integer.parseInt(share.group(1)), !share.group(2).isEmpty());
        }
    }
}
