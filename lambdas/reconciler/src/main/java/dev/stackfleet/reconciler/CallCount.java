package dev.stackfleet.reconciler;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** How many calls of each AWS action one pass made: what a pass costs, and how that grows with the fleet. */
final class CallCount {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one call, e.g. {@code dynamodb:Query}. */
    void add(String action) {
        counts.computeIfAbsent(action, a -> new LongAdder()).increment();
    }

    /** The counts so far, by action name. */
    Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((action, count) -> snapshot.put(action, count.sum()));
        return snapshot;
    }
}
