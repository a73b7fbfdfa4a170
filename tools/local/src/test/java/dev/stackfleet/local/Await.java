package dev.stackfleet.local;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking it every 100 ms; never a fixed sleep. */
public final class Await {

    private static final Duration CHECK_EVERY = Duration.ofMillis(100);

    private Await() {}

    /** Returns once the condition holds, or fails. */
    public static void until(Duration deadline, String what, BooleanSupplier condition) {
        until(deadline, what, condition::getAsBoolean, Boolean::booleanValue);
    }

    /** Returns the first value that satisfies the condition, or fails with the last value seen. */
    public static <T> T until(Duration deadline, String what, Supplier<T> probe, Predicate<T> condition) {
        Instant end = Instant.now().plus(deadline);
        T last = probe.get();
        while (!condition.test(last)) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("Not true within " + deadline + ": " + what + "; last seen: " + last);
            }
            LockSupport.parkNanos(CHECK_EVERY.toNanos());
            last = probe.get();
        }
        return last;
    }
}
