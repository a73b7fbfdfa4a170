package dev.stackfleet.bench.fleet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.bench.BenchOptions;
import dev.stackfleet.bench.Creates;
import dev.stackfleet.bench.LocalRun;
import dev.stackfleet.bench.Results;
import dev.stackfleet.bench.Samples;
import dev.stackfleet.local.FleetInvariants;
import dev.stackfleet.local.LocalControlPlane;
import dev.stackfleet.reconciler.ReconcileReport;
import dev.stackfleet.reconciler.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How costs grow with the fleet: the full listing of one owner's servers through the API against the items that
 * owner holds, and the reconciler's pass (its AWS calls and its time) against the size of a healthy fleet.
 */
public final class FleetScalingBenchmark {

    static final String NAME = "fleet-scaling";
    private static final int IN_FLIGHT = 8;
    private static final int SERVERS_PER_OWNER = 10;

    private FleetScalingBenchmark() {}

    public static void main(String[] args) {
        BenchOptions options = BenchOptions.parse(NAME, args);
        Results.write(options, run(options));
    }

    static ObjectNode run(BenchOptions options) {
        ObjectNode result = Results.start(NAME, options);
        listing(options, result.putArray("listing"));
        reconciler(options, result.putArray("reconciler"));
        return result;
    }

    /**
     * Items written through the API with the stream poller off (they stay {@code CREATE_PENDING}, which a listing
     * does not care about), one owner per size; the sizes' listings alternate within each round.
     */
    private static void listing(BenchOptions options, ArrayNode rows) {
        List<Integer> sizes = options.smoke() ? List.of(3, 12) : List.of(10, 100, 1000);
        int rounds = options.smoke() ? 1 : 7;
        int largest = Collections.max(sizes);
        try (LocalRun local =
                LocalRun.start(options, NAME + "-listing", new LocalControlPlane.Options(0, false, null, largest))) {
            Creates creates = new Creates(local.controlPlane().apiUrl());
            List<Listing> listings = new ArrayList<>();
            for (int size : sizes) {
                creates.concurrently("owner-of-" + size, 1, size, IN_FLIGHT);
                listings.add(new Listing(local.controlPlane().apiUrl(), "owner-of-" + size + "-0"));
            }
            listings.forEach(Listing::all); // untimed: the first requests load the handler's classes
            List<Samples> ms = sizes.stream().map(size -> new Samples()).toList();
            int[] pages = new int[sizes.size()];
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < sizes.size(); k++) {
                    // forwards, then backwards: no size always runs right after the largest
                    int i = round % 2 == 0 ? k : sizes.size() - 1 - k;
                    long start = System.nanoTime();
                    Listing.Pages listed = listings.get(i).all();
                    ms.get(i).add((System.nanoTime() - start) / 1e6);
                    if (listed.items() != sizes.get(i)) {
                        throw new IllegalStateException(
                                "The listing returned " + listed.items() + " of " + sizes.get(i) + " items");
                    }
                    pages[i] = listed.pages();
                }
            }
            for (int i = 0; i < sizes.size(); i++) {
                ObjectNode row = rows.addObject();
                row.put("items", sizes.get(i));
                row.put("pages", pages[i]);
                row.put("rounds", rounds);
                row.put("median_ms", Results.ms(ms.get(i).median()));
                row.put("ms_per_item", Results.ratio(ms.get(i).median(), sizes.get(i)));
                row.put(
                        "ratio_to_smallest",
                        Results.ratio(ms.get(i).median(), ms.getFirst().median()));
                row.set("samples_ms", Results.samples(ms.get(i)));
                System.out.printf(
                        "%s: listing %d items, %.1f ms%n",
                        NAME, sizes.get(i), ms.get(i).median());
            }
        }
    }

    /**
     * A fleet grown through the real path (API, stream, workflows) to each size in turn and left quiet; then
     * dry-run passes (the pass's reads, without repairs, of which a healthy fleet needs none).
     */
    private static void reconciler(BenchOptions options, ArrayNode rows) {
        List<Integer> sizes = options.smoke() ? List.of(2, 4) : List.of(10, 50, 150);
        int rounds = options.smoke() ? 1 : 5;
        try (LocalRun local = LocalRun.start(
                options, NAME + "-reconciler", new LocalControlPlane.Options(0, true, null, SERVERS_PER_OWNER))) {
            Creates creates = new Creates(local.controlPlane().apiUrl());
            FleetInvariants invariants =
                    new FleetInvariants(local.aws(), local.controlPlane().resources());
            Reconciler reconciler = local.controlPlane().reconciler();
            int fleet = 0;
            for (int size : sizes) {
                int owners = Math.ceilDiv(size - fleet, SERVERS_PER_OWNER);
                creates.concurrently("fleet-" + size, owners, size - fleet, IN_FLIGHT);
                fleet = size;
                invariants.awaitQuiet(Duration.ofMinutes(10));
                Samples ms = new Samples();
                ReconcileReport last = null;
                for (int round = 0; round < rounds; round++) {
                    last = reconciler.run(new Reconciler.Options(true, false));
                    ms.add(last.durationMillis());
                }
                if (!last.findings().isEmpty() || last.checked().get("active") != size) {
                    throw new IllegalStateException("The fleet of " + size + " is not healthy: " + last.summary());
                }
                long calls = last.calls().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                ObjectNode row = rows.addObject();
                row.put("servers", size);
                row.put("rounds", rounds);
                row.put("median_ms", Results.ms(ms.median()));
                row.put("calls", calls);
                row.put("calls_per_server", Results.ratio((double) calls, size));
                row.putPOJO("calls_by_action", Map.copyOf(last.calls()));
                row.set("samples_ms", Results.samples(ms));
                System.out.printf(
                        "%s: reconciler over %d servers, %d calls, %.0f ms%n", NAME, size, calls, ms.median());
            }
        }
    }
}
