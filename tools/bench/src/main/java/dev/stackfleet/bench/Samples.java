package dev.stackfleet.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Measured values of one variant and their order statistics (nearest rank, no interpolation). */
public final class Samples {

    private final List<Double> values = new ArrayList<>();

    public void add(double value) {
        values.add(value);
    }

    /** A whole number of milliseconds (far below the 2^53 where a double would lose precision). */
    public void add(long value) {
        values.add((double) value);
    }

    public List<Double> values() {
        return List.copyOf(values);
    }

    public int size() {
        return values.size();
    }

    public double median() {
        return percentile(50);
    }

    /** The smallest value with at least {@code p} percent of the values at or below it. */
    public double percentile(double p) {
        if (values.isEmpty()) {
            throw new IllegalStateException("No samples");
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("A percentile is in (0, 100], got " + p);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
