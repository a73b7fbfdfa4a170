package dev.stackfleet.local.bench;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.GameServerIds;
import dev.stackfleet.core.LoggingLambdaContext;
import dev.stackfleet.local.Emulator;
import dev.stackfleet.local.LocalAws;
import dev.stackfleet.local.stream.LambdaRecordJson;
import dev.stackfleet.stream.StreamConfig;
import dev.stackfleet.stream.StreamHandler;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How long the stream handler takes for a full batch of creates, starting executions one at a time
 * (the baseline) versus concurrently (the shipped bound), against the emulator and against the emulator with
 * an added per-call latency that stands in for a network round trip to Step Functions. Prints medians and
 * ratios; not part of the test suite. Run it as described in docs/benchmarks.md.
 */
public final class StartConcurrencyBenchmark {

    private static final int BATCH = 100;
    private static final int ROUNDS = 7;
    private static final int BASELINE = 1;
    private static final int BOUNDED = 8;
    private static final Duration ADDED_LATENCY = Duration.ofMillis(30);

    private StartConcurrencyBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(System.getProperty("stackfleet.root", "."))
                .toAbsolutePath()
                .normalize();
        Path python = Path.of(System.getProperty(
                "stackfleet.python", root.resolve(".venv/bin/python").toString()));
        String template = Files.readString(root.resolve("test-events/stream/insert.json"));
        try (Emulator emulator = Emulator.start(python, Path.of("target/benchmark-emulator.log"))) {
            LocalAws aws = new LocalAws(emulator.endpoint());
            SfnClient sfn = aws.sfn();
            SqsClient sqs = aws.sqs();
            String pass = "{\"StartAt\": \"Done\", \"States\": {\"Done\": {\"Type\": \"Succeed\"}}}";
            String role = "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":role/stackfleet-workflow";
            String provision = sfn.createStateMachine(
                            r -> r.name("bench-provision").definition(pass).roleArn(role))
                    .stateMachineArn();
            String deprovision = sfn.createStateMachine(
                            r -> r.name("bench-deprovision").definition(pass).roleArn(role))
                    .stateMachineArn();
            String queue =
                    sqs.createQueue(r -> r.queueName("bench-dead-letters")).queueUrl();

            System.out.printf("stream handler, batch of %d creates, %d rounds each, median ms%n", BATCH, ROUNDS);
            System.out.printf("%-34s %10s %10s %8s%n", "StartExecution", "1 at once", BOUNDED + " at once", "ratio");
            for (Duration latency : List.of(Duration.ZERO, ADDED_LATENCY)) {
                SfnClient client = latency.isZero() ? sfn : withLatency(sfn, latency);
                List<Long> baseline = new ArrayList<>();
                List<Long> bounded = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    // alternate the order so that neither side always runs on a warmer emulator
                    boolean baselineFirst = round % 2 == 0;
                    for (int concurrency : baselineFirst ? List.of(BASELINE, BOUNDED) : List.of(BOUNDED, BASELINE)) {
                        StreamHandler handler = new StreamHandler(
                                new StreamConfig(provision, deprovision, queue, 5, 60, concurrency), client, sqs);
                        long millis = time(handler, batch(template));
                        (concurrency == BASELINE ? baseline : bounded).add(millis);
                    }
                }
                long b = median(baseline);
                long c = median(bounded);
                System.out.printf(
                        "%-34s %10d %10d %7.1fx%n",
                        latency.isZero() ? "emulator" : "emulator + " + latency.toMillis() + " ms per call",
                        b,
                        c,
                        (double) b / c);
            }
        }
    }

    private static long time(StreamHandler handler, DynamodbEvent batch) {
        long start = System.nanoTime();
        var response = handler.handleRequest(batch, new LoggingLambdaContext("bench", line -> {}));
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("The benchmark batch had failures: " + response.getBatchItemFailures());
        }
        return millis;
    }

    /** A batch of creates of new servers, each record the shipped INSERT test event with its own id. */
    private static DynamodbEvent batch(String template) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode record = (ObjectNode) json.readTree(template).path("Records").get(0);
        String id = record.at("/dynamodb/NewImage/gameserver_id/S").asText();
        List<JsonNode> records = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            records.add(json.readTree(record.toString().replace(id, GameServerIds.next())));
        }
        return new LambdaRecordJson().toEvent(records);
    }

    /** The client with a fixed delay before every call, as a network round trip would add. */
    private static SfnClient withLatency(SfnClient sfn, Duration latency) {
        return (SfnClient) Proxy.newProxyInstance(
                SfnClient.class.getClassLoader(), new Class<?>[] {SfnClient.class}, (proxy, method, methodArgs) -> {
                    LockSupport.parkNanos(latency.toNanos());
                    return method.invoke(sfn, methodArgs);
                });
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
