package dev.stackfleet.ops;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * Progress of a long operation, on standard error so that standard output stays parseable. Updates are
 * throttled to one line per second, so a quick operation prints none.
 */
final class Progress {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final PrintWriter err;
    private final String what;
    private Instant lastPrinted;

    /**
     * @param err where progress goes (the command's error stream)
     * @param what the operation, e.g. {@code "scanning gameservers"}
     */
    Progress(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
        this.lastPrinted = Instant.now();
    }

    /** Reports the count so far if a second has passed since the last report. */
    synchronized void update(long count, String unit) {
        Instant now = Instant.now();
        if (Duration.between(lastPrinted, now).compareTo(INTERVAL) >= 0) {
            lastPrinted = now;
            err.println(what + ": " + count + " " + unit + "...");
            err.flush();
        }
    }
}
