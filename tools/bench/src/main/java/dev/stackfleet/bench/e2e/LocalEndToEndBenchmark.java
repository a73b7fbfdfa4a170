package dev.stackfleet.bench.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.bench.BenchOptions;
import dev.stackfleet.bench.Creates;
import dev.stackfleet.bench.LocalRun;
import dev.stackfleet.bench.Results;
import dev.stackfleet.bench.Samples;
import dev.stackfleet.local.FleetInvariants;
import dev.stackfleet.local.LocalControlPlane;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Local mode end to end: creates spread over time (one every {@code spacing}, slower than the emulator runs
 * workflows, so that nothing queues), then, per server,
 * the API's {@code 201} to {@code ACTIVE} split into stream pickup, execution start, workflow and status write
 * ({@link ServerTimeline}); p50 and p95 of each part.
 */
public final class LocalEndToEndBenchmark {

    static final String NAME = "local-e2e";
    private static final int OWNERS = 5;

    private LocalEndToEndBenchmark() {}

    public static void main(String[] args) {
        BenchOptions options = BenchOptions.parse(NAME, args);
        Results.write(options, run(options));
    }

    static ObjectNode run(BenchOptions options) {
        int servers = options.smoke() ? 3 : 50;
        Duration spacing = Duration.ofMillis(options.smoke() ? 200 : 1500);
        ObjectNode result = Results.start(NAME, options);
        try (LocalRun local =
                LocalRun.start(options, NAME, new LocalControlPlane.Options(0, true, null, servers / OWNERS + 1))) {
            Creates creates = new Creates(local.controlPlane().apiUrl());
            List<Creates.Created> created = new ArrayList<>();
            long next = System.nanoTime();
            for (int n = 0; n < servers; n++) {
                // paced by the clock, not by the previous create's duration, so the load stays even
                LockSupport.parkNanos(next - System.nanoTime());
                next += spacing.toNanos();
                created.add(creates.create("e2e-owner-" + (n % OWNERS), n));
            }
            FleetInvariants invariants =
                    new FleetInvariants(local.aws(), local.controlPlane().resources());
            invariants.awaitQuiet(Duration.ofMinutes(5));
            Map<String, Instant> writtenAt = invariants.items().stream()
                    .collect(Collectors.toMap(
                            item -> item.get("gameserver_id").s(),
                            item -> Instant.parse(item.get("created_at").s())));
            String executionPrefix =
                    local.controlPlane().resources().provisionArn().replace(":stateMachine:", ":execution:") + ":";
            List<ServerTimeline> timelines = new ArrayList<>();
            try (SfnClient sfn = local.aws().sfn()) {
                for (Creates.Created server : created) {
                    timelines.add(ServerTimeline.read(
                            sfn,
                            executionPrefix + server.id() + "-create-g1",
                            Instant.ofEpochMilli(server.acceptedMillis()),
                            writtenAt.get(server.id())));
                }
            }
            result.put("servers", servers);
            result.put("spacing_ms", spacing.toMillis());
            Map<String, ToLongFunction<ServerTimeline>> parts = new LinkedHashMap<>();
            parts.put("total", ServerTimeline::totalMillis);
            parts.put("stream_pickup", ServerTimeline::streamPickupMillis);
            parts.put("execution_start", ServerTimeline::executionStartMillis);
            parts.put("workflow", ServerTimeline::workflowMillis);
            parts.put("status_write", ServerTimeline::statusWriteMillis);
            ObjectNode table = result.putObject("parts_ms");
            parts.forEach((part, measure) -> {
                Samples samples = new Samples();
                timelines.forEach(timeline -> samples.add(measure.applyAsLong(timeline)));
                ObjectNode row = table.putObject(part);
                row.put("p50", Results.ms(samples.median()));
                row.put("p95", Results.ms(samples.percentile(95)));
                row.set("samples", Results.samples(samples));
                System.out.printf(
                        "%s: %s p50 %.0f ms, p95 %.0f ms%n", NAME, part, samples.median(), samples.percentile(95));
            });
        }
        return result;
    }
}
