package dev.stackfleet.bench.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.bench.BenchOptions;
import dev.stackfleet.bench.LocalRun;
import dev.stackfleet.bench.Results;
import dev.stackfleet.bench.Samples;
import dev.stackfleet.core.LambdaClients;
import dev.stackfleet.core.LoggingLambdaContext;
import dev.stackfleet.stream.StreamConfig;
import dev.stackfleet.stream.StreamHandler;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The stream handler on batches of creates against a Step Functions stub that answers after a fixed latency:
 * the handler as shipped (its default bound on concurrent starts, its HTTP client) against a one-at-a-time loop
 * (the same handler with one start in flight), and against the limit {@code ceil(N / concurrency) x latency}
 * that no handler with that bound can beat. Variants alternate within each round.
 */
public final class StreamBatchesBenchmark {

    static final String NAME = "stream-batches";
    static final Duration LATENCY = Duration.ofMillis(20);
    private static final String PROVISION = "arn:aws:states:us-east-1:123456789012:stateMachine:stackfleet-provision";
    private static final String DEPROVISION =
            "arn:aws:states:us-east-1:123456789012:stateMachine:stackfleet-deprovision";

    /** A batch size and how many rounds it gets (the one-at-a-time loop at 1,000 takes 20 s a round). */
    private record Size(int records, int rounds) {}

    private StreamBatchesBenchmark() {}

    public static void main(String[] args) {
        BenchOptions options = BenchOptions.parse(NAME, args);
        Results.write(options, run(options));
    }

    static ObjectNode run(BenchOptions options) {
        List<Size> sizes = options.smoke()
                ? List.of(new Size(10, 1), new Size(25, 1))
                : List.of(new Size(10, 9), new Size(100, 7), new Size(1000, 3));
        CreateBatches batches = new CreateBatches(LocalRun.root());
        ObjectNode result = Results.start(NAME, options);
        try (StubStepFunctions stub = new StubStepFunctions(LATENCY)) {
            // the clients as the Lambda builds them, aimed at the stub
            LambdaClients clients = LambdaClients.of(
                    Region.US_EAST_1,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")),
                    Map.of("AWS_ENDPOINT_URL", stub.url().toString())::get);
            StreamConfig shipped = config(Map.of());
            StreamHandler handler = new StreamHandler(shipped, clients);
            StreamHandler loop = new StreamHandler(config(Map.of(StreamConfig.MAX_CONCURRENT_STARTS, "1")), clients);
            int concurrency = shipped.maxConcurrentStarts();
            result.put("latency_ms", LATENCY.toMillis());
            result.put("concurrency", concurrency);
            // untimed batches first: a warm Lambda has its classes loaded and its hot paths compiled, and the JIT's
            // own work would otherwise land in the first measured rounds
            for (int warmup = 0; warmup < (options.smoke() ? 1 : 3); warmup++) {
                time(handler, batches.of(options.smoke() ? 20 : 1000), stub);
            }
            time(loop, batches.of(20), stub);
            ArrayNode rows = result.putArray("batches");
            for (Size size : sizes) {
                Samples shippedMs = new Samples();
                Samples loopMs = new Samples();
                int peak = 0;
                for (int round = 0; round < size.rounds(); round++) {
                    boolean shippedFirst = round % 2 == 0;
                    for (boolean isShipped : shippedFirst ? List.of(true, false) : List.of(false, true)) {
                        DynamodbEvent batch = batches.of(size.records());
                        double ms = time(isShipped ? handler : loop, batch, stub);
                        if (isShipped) {
                            shippedMs.add(ms);
                            peak = Math.max(peak, stub.peakInFlight());
                        } else {
                            loopMs.add(ms);
                        }
                    }
                }
                double limit = Math.ceil(size.records() / (double) concurrency) * LATENCY.toMillis();
                ObjectNode row = rows.addObject();
                row.put("records", size.records());
                row.put("rounds", size.rounds());
                row.put("handler_ms", Results.ms(shippedMs.median()));
                row.put("loop_ms", Results.ms(loopMs.median()));
                row.put("limit_ms", limit);
                row.put("handler_to_limit", Results.ratio(shippedMs.median(), limit));
                row.put("loop_to_handler", Results.ratio(loopMs.median(), shippedMs.median()));
                row.put("peak_in_flight", peak);
                row.set("handler_samples_ms", Results.samples(shippedMs));
                row.set("loop_samples_ms", Results.samples(loopMs));
                System.out.printf(
                        "%s: %d records, handler %.1f ms, loop %.1f ms, limit %.0f ms%n",
                        NAME, size.records(), shippedMs.median(), loopMs.median(), limit);
            }
        }
        return result;
    }

    /** Times one batch and checks that every record started exactly one execution and none failed. */
    private static double time(StreamHandler handler, DynamodbEvent batch, StubStepFunctions stub) {
        stub.reset();
        long start = System.nanoTime();
        StreamsEventResponse response = handler.handleRequest(batch, new LoggingLambdaContext(NAME, line -> {}));
        double ms = (System.nanoTime() - start) / 1e6;
        int records = batch.getRecords().size();
        if (!response.getBatchItemFailures().isEmpty() || stub.starts() != records || stub.distinctNames() != records) {
            throw new IllegalStateException("A batch of " + records + " records started " + stub.starts()
                    + " executions (" + stub.distinctNames() + " names) with failures "
                    + response.getBatchItemFailures());
        }
        return ms;
    }

    private static StreamConfig config(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of(
                StreamConfig.PROVISION_STATE_MACHINE_ARN, PROVISION,
                StreamConfig.DEPROVISION_STATE_MACHINE_ARN, DEPROVISION,
                StreamConfig.DEAD_LETTER_QUEUE_URL, "http://127.0.0.1/123456789012/unused"));
        env.putAll(overrides);
        return StreamConfig.fromEnvironment(env);
    }
}
