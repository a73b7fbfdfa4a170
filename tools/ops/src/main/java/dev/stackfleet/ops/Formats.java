package dev.stackfleet.ops;

import java.time.Duration;
import java.time.Instant;

/** Human-readable times for tables: ages ({@code 5m ago}), durations ({@code 1m12s}) and short text. */
final class Formats {

    private Formats() {}

    /** How long ago {@code then} was, e.g. {@code 42s ago}, {@code 3h ago}; {@code null} for an unknown time. */
    static String age(Instant then, Instant now) {
        return then == null ? null : duration(Duration.between(then, now)) + " ago";
    }

    /**
     * A duration in its two largest units: {@code 850ms}, {@code 42s}, {@code 3m05s}, {@code 2h10m},
     * {@code 4d03h}; {@code null} for an unknown duration.
     */
    static String duration(Duration d) {
        if (d == null) {
            return null;
        }
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return d.toMillis() + "ms";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86400, seconds % 86400 / 3600);
    }

    /** The text cut to {@code max} characters with an ellipsis, on one line. */
    static String abbreviate(String text, int max) {
        if (text == null) {
            return null;
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }
}
