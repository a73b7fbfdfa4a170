package dev.stackfleet.reconciler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
public record ReconcileReport(
        Instant startedAt,
        long durationMillis,
        boolean dryRun,
        boolean complete,
        Map<String, Integer> checked,
        List<Finding> findings,
        Map<String, Long> calls) {

    /** Findings by kind, every kind present (zeros included), for metrics and summaries. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        for (Finding.Kind kind : Finding.Kind.values()) {
            counts.put(
                    kind.name(), findings.stream().filter(f -> f.kind() == kind).count());
        }
        return counts;
    }

    /**
     * The report as the Lambda returns it and {@code ops reconcile --json} prints it: its members in this order,
     * {@code counts} among them, the start as an ISO-8601 timestamp and each finding with all its members.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("startedAt", startedAt.toString());
        map.put("durationMillis", durationMillis);
        map.put("dryRun", dryRun);
        map.put("complete", complete);
        map.put("counts", counts());
        map.put("checked", checked);
        map.put("calls", calls);
        List<Map<String, Object>> all = new ArrayList<>();
        for (Finding finding : findings) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("kind", finding.kind().name());
            one.put("gameServerId", finding.gameServerId());
            one.put("owner", finding.owner());
            one.put("stackName", finding.stackName());
            one.put("detail", finding.detail());
            one.put("action", finding.action());
            all.add(one);
        }
        map.put("findings", all);
        return map;
    }

    /** One line for logs and the command line. */
    public String summary() {
        return (dryRun ? "dry run: " : "") + findings.size() + " finding(s) " + counts() + ", checked " + checked
                + " in " + durationMillis + " ms" + (complete ? "" : " (incomplete)");
    }
}
