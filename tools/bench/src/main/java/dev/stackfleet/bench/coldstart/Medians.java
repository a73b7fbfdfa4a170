package dev.stackfleet.bench.coldstart;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The median of a run's samples, and rounding for the report. */
final class Medians {

    private Medians() {}

    static double of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("No samples to take a median of");
        }
        List<Double> sorted = samples.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    static double round(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
    }
}
