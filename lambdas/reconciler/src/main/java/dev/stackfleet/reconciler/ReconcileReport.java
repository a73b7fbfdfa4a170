package dev.stackfleet.reconciler;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one reconcile pass found and did.
 *
 * @param startedAt when the pass began
 * @param durationMillis how long it took
 * @param dryRun whether it only reported
 * @param complete false when the time budget or the repair limit ended it early (the next pass goes on)
 * @param checked how many items and stacks it looked at, by kind ({@code in-flight}, {@code active}, {@code stacks})
 * @param findings every problem, with the action taken
 * @param calls AWS calls made, by action: the pass's cost
 */
@JsonPropertyOrder({"startedAt", "durationMillis", "dryRun", "complete", "counts", "checked", "calls", "findings"})
public record ReconcileReport(
        Instant startedAt,
        long durationMillis,
        boolean dryRun,
        boolean complete,
        Map<String, Integer> checked,
        List<Finding> findings,
        Map<String, Long> calls) {

    /** Findings by kind, every kind present (zeros included), for metrics and summaries. */
    @JsonProperty("counts")
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        for (Finding.Kind kind : Finding.Kind.values()) {
            counts.put(
                    kind.name(), findings.stream().filter(f -> f.kind() == kind).count());
        }
        return counts;
    }

    /** One line for logs and the command line. */
    public String summary() {
        return (dryRun ? "dry run: " : "") + findings.size() + " finding(s) " + counts() + ", checked " + checked
                + " in " + durationMillis + " ms" + (complete ? "" : " (incomplete)");
    }
}
