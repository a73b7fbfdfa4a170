package dev.stackfleet.bench.burst;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.bench.BenchOptions;
import dev.stackfleet.bench.Creates;
import dev.stackfleet.bench.LocalRun;
import dev.stackfleet.bench.Results;
import dev.stackfleet.bench.Samples;
import dev.stackfleet.local.FleetInvariants;
import dev.stackfleet.local.LocalControlPlane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * A burst of creates across many owners in local mode, as fast as the API takes them: waits (with a deadline)
 * until the fleet is quiet, checks that every server is {@code ACTIVE} with exactly one execution per intent and
 * one stack, and reports the wall time and where it went: the API accepting the burst, the stream starting the
 * executions, the workflows running.
 */
public final class BurstBenchmark {

    static final String NAME = "burst";
    private static final int IN_FLIGHT = 16;

    private BurstBenchmark() {}

    public static void main(String[] args) {
        BenchOptions options = BenchOptions.parse(NAME, args);
        Results.write(options, run(options));
    }

    static ObjectNode run(BenchOptions options) {
        int servers = options.smoke() ? 12 : 500;
        int owners = options.smoke() ? 3 : 50;
        Duration deadline = options.smoke() ? Duration.ofMinutes(2) : Duration.ofMinutes(15);
        ObjectNode result = Results.start(NAME, options);
        try (LocalRun local =
                LocalRun.start(options, NAME, new LocalControlPlane.Options(0, true, null, servers / owners))) {
            long begin = System.currentTimeMillis();
            List<Creates.Created> created =
                    new Creates(local.controlPlane().apiUrl()).concurrently("burst-owner", owners, servers, IN_FLIGHT);
            long accepted = System.currentTimeMillis();
            FleetInvariants invariants =
                    new FleetInvariants(local.aws(), local.controlPlane().resources());
            invariants.awaitQuiet(deadline);
            long quiet = System.currentTimeMillis();

            Map<String, String> statuses = invariants.items().stream()
                    .collect(Collectors.toMap(
                            item -> item.get("gameserver_id").s(),
                            item -> item.get("status").s()));
            long active = statuses.values().stream().filter("ACTIVE"::equals).count();
            List<ExecutionListItem> executions;
            try (SfnClient sfn = local.aws().sfn()) {
                executions = sfn
                        .listExecutionsPaginator(r -> r.stateMachineArn(
                                local.controlPlane().resources().provisionArn()))
                        .executions()
                        .stream()
                        .toList();
            }
            Map<String, Long> perName =
                    executions.stream().collect(Collectors.groupingBy(ExecutionListItem::name, Collectors.counting()));
            Set<String> intents =
                    created.stream().map(c -> c.id() + "-create-g1").collect(Collectors.toSet());
            boolean oneExecutionPerIntent = perName.keySet().equals(intents)
                    && perName.values().stream().allMatch(count -> count == 1);
            List<String> violations = invariants.violations();

            long firstStart = min(executions, e -> e.startDate().toEpochMilli());
            long lastStart = max(executions, e -> e.startDate().toEpochMilli());
            long lastStop = max(executions, e -> e.stopDate().toEpochMilli());
            Samples workflowMs = new Samples();
            executions.forEach(e ->
                    workflowMs.add(e.stopDate().toEpochMilli() - e.startDate().toEpochMilli()));
            Samples acceptMs = new Samples();
            created.forEach(c -> acceptMs.add(c.acceptedMillis() - c.sentMillis()));

            result.put("servers", servers);
            result.put("owners", owners);
            result.put("requests_in_flight", IN_FLIGHT);
            result.put("active", active);
            result.put("executions", executions.size());
            result.put("one_execution_per_intent", oneExecutionPerIntent);
            result.put("one_stack_per_server", violations.isEmpty());
            result.putPOJO("violations", violations);
            result.put("wall_ms", lastStop - begin);
            ObjectNode phases = result.putObject("phases_ms");
            phases.put("api_accepts_all", accepted - begin);
            phases.put(
                    "first_201_to_first_execution",
                    firstStart - created.getFirst().acceptedMillis());
            phases.put("executions_started_over", lastStart - firstStart);
            phases.put("last_201_to_last_execution_start", lastStart - accepted);
            phases.put("last_execution_start_to_last_active", lastStop - lastStart);
            phases.put("observed_quiet_after_last_active", quiet - lastStop);
            ObjectNode perServer = result.putObject("per_server_ms");
            perServer.put("create_request_p50", Results.ms(acceptMs.median()));
            perServer.put("create_request_p95", Results.ms(acceptMs.percentile(95)));
            perServer.put("workflow_p50", Results.ms(workflowMs.median()));
            perServer.put("workflow_p95", Results.ms(workflowMs.percentile(95)));
            perServer.put("workflow_max", Results.ms(workflowMs.percentile(100)));
            result.put("peak_running_executions", peakRunning(executions));
            System.out.printf(
                    "%s: %d servers, %d ACTIVE, %d executions, wall %d ms%n",
                    NAME, servers, active, executions.size(), lastStop - begin);
            if (active != servers || !oneExecutionPerIntent || !violations.isEmpty()) {
                Results.write(options, result);
                throw new IllegalStateException("The burst did not converge cleanly: " + active + "/" + servers
                        + " ACTIVE, one execution per intent " + oneExecutionPerIntent + ", " + violations);
            }
        }
        return result;
    }

    /** The most executions running at one moment, from their start and stop times. */
    private static int peakRunning(List<ExecutionListItem> executions) {
        List<long[]> edges = new ArrayList<>();
        for (ExecutionListItem e : executions) {
            edges.add(new long[] {e.startDate().toEpochMilli(), 1});
            edges.add(new long[] {e.stopDate().toEpochMilli(), -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int peak = 0;
        for (long[] edge : edges) {
            running += (int) edge[1];
            peak = Math.max(peak, running);
        }
        return peak;
    }

    private static long min(List<ExecutionListItem> executions, Function<ExecutionListItem, Long> time) {
        return executions.stream().map(time).min(Long::compare).orElseThrow();
    }

    private static long max(List<ExecutionListItem> executions, Function<ExecutionListItem, Long> time) {
        return executions.stream().map(time).max(Long::compare).orElseThrow();
    }
}
