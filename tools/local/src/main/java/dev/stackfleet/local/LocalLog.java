package dev.stackfleet.local;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Progress lines of local mode on standard output: time, source, message, one line each. */
public final class LocalLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private LocalLog() {}

    /** Prints one line, e.g. {@code 12:00:01.250 [stream] INSERT gs-... -> started gs-...-create-g1}. */
    public static synchronized void line(String source, String message) {
        System.out.println(TIME.format(LocalTime.now(ZoneId.systemDefault())) + " [" + source + "] " + message);
    }
}
