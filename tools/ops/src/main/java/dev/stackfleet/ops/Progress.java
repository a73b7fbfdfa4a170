package dev.stackfleet.ops;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Progress of a long operation, on standard error so that standard output stays parseable. Updates are
 * throttled to one line per second; {@link #done} always prints the final count.
 */
final class Progress {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final PrintWriter err;
    private final String what;
    private final Clock clock;
    private Instant lastPrinted;

    /**
     * @param err where progress goes (the command's error stream)
     * @param what the operation, e.g. {@code "scanning gameservers"}
     */
    Progress(PrintWriter err, String what) {
        this(err, what, Clock.systemUTC());
    }

    Progress(PrintWriter err, String what, Clock clock) {
        this.err = err;
        this.what = what;
        this.clock = clock;
        this.lastPrinted = clock.instant();
    }

    /** Reports the count so far if a second has passed since the last report. */
    synchronized void update(long count, String unit) {
        Instant now = clock.instant();
        if (Duration.between(lastPrinted, now).compareTo(INTERVAL) >= 0) {
            lastPrinted = now;
            err.println(what + ": " + count + " " + unit + "...");
            err.flush();
        }
    }

    /** Reports the final count. */
    synchronized void done(long count, String unit) {
        err.println(what + ": " + count + " " + unit);
        err.flush();
    }
}
