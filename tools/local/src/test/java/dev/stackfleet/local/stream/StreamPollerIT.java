package dev.stackfleet.local.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.core.EventSourceSettings;
import dev.stackfleet.core.LambdaClients;
import dev.stackfleet.local.Await;
import dev.stackfleet.local.Emulator;
import dev.stackfleet.stream.StreamConfig;
import dev.stackfleet.stream.StreamHandler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The poller against a real emulator: records arrive in order, filters apply, failures are retried. */
class StreamPollerIT {

    /** A server id of the form the API generates, which the stream Lambda requires. */
    private static final String E2E = "gs-e2eeeeeeeeeeeeeeeeee";

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    private static final String ROLE = "arn:aws:iam::123456789012:role/stackfleet-workload-access";

    private static Emulator emulator;
    private static DynamoDbClient dynamodb;
    private static DynamoDbStreamsClient streams;
    private static SqsClient sqs;
    private static SfnClient sfn;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<StreamPoller> pollers = new ArrayList<>();

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.start(
                Path.of(System.getProperty("stackfleet.python")), Path.of("target/emulator-stream-poller-it.log"));
        URI endpoint = emulator.endpoint();
        dynamodb = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        streams = DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        sqs = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        sfn = SfnClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @AfterEach
    void closePollers() {
        pollers.forEach(StreamPoller::close);
    }

    /** Records what the handler was given: one list of {@code EVENT:gameserver_id} per invocation. */
    private static final class RecordingHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final List<DynamodbEvent.DynamodbStreamRecord> records = new CopyOnWriteArrayList<>();
        final Set<String> failOnce = ConcurrentHashMap.newKeySet();
        final Set<String> failAlways = ConcurrentHashMap.newKeySet();

        @Override
        public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
            List<String> batch = new ArrayList<>();
            String failed = null;
            for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                String id = record.getDynamodb().getKeys().get("gameserver_id").getS();
                batch.add(record.getEventName() + ":" + id);
                records.add(record);
                if (failed == null && (failOnce.remove(id) || failAlways.contains(id))) {
                    failed = record.getDynamodb().getSequenceNumber();
                }
            }
            batches.add(batch);
            context.getLogger().log("handled " + batch);
            return failed == null
                    ? new StreamsEventResponse()
                    : new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(failed)));
        }

        List<String> delivered() {
            List<String> all = new ArrayList<>();
            batches.forEach(all::addAll);
            return all;
        }
    }

    private static String createTable(String name) {
        dynamodb.createTable(t -> t.tableName(name)
                .keySchema(
                        KeySchemaElement.builder()
                                .attributeName("owner")
                                .keyType(KeyType.HASH)
                                .build(),
                        KeySchemaElement.builder()
                                .attributeName("gameserver_id")
                                .keyType(KeyType.RANGE)
                                .build())
                .attributeDefinitions(
                        AttributeDefinition.builder()
                                .attributeName("owner")
                                .attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder()
                                .attributeName("gameserver_id")
                                .attributeType(ScalarAttributeType.S)
                                .build())
                .billingMode("PAY_PER_REQUEST")
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        return dynamodb.describeTable(d -> d.tableName(name)).table().latestStreamArn();
    }

    private static Map<String, AttributeValue> item(String id, long generation, String status) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("owner", AttributeValue.fromS("alice"));
        item.put("gameserver_id", AttributeValue.fromS(id));
        item.put(
                "config",
                AttributeValue.fromM(Map.of(
                        "difficulty",
                        AttributeValue.fromS("easy"),
                        "player_count",
                        AttributeValue.fromN("4"),
                        "seed",
                        AttributeValue.fromS("s33d"))));
        item.put("generation", AttributeValue.fromN(Long.toString(generation)));
        item.put(
                "placement",
                AttributeValue.fromM(Map.of(
                        "account_id",
                        AttributeValue.fromS("123456789012"),
                        "region",
                        AttributeValue.fromS("us-east-1"),
                        "role_arn",
                        AttributeValue.fromS(ROLE))));
        item.put("stack_name", AttributeValue.fromS("stackfleet-" + id));
        item.put("release", AttributeValue.fromS("3f9a2c1d4b5e"));
        item.put("status", AttributeValue.fromS(status));
        item.put("created_at", AttributeValue.fromS("2026-11-27T18:00:00Z"));
        item.put("updated_at", AttributeValue.fromS("2026-11-27T18:00:00Z"));
        return item;
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("owner", AttributeValue.fromS("alice"), "gameserver_id", AttributeValue.fromS(id));
    }

    private StreamPoller poller(
            String streamArn,
            RequestHandler<DynamodbEvent, StreamsEventResponse> handler,
            OnFailureDestination onFailure) {
        EventSourceSettings shipped = EventSourceSettings.load();
        EventSourceSettings settings = new EventSourceSettings(
                shipped.batchSize(), 0, 2, shipped.maxRecordAgeSeconds(), true, shipped.filters());
        StreamPoller poller = new StreamPoller(
                streams,
                streamArn,
                settings,
                handler,
                onFailure,
                log::add,
                new StreamPoller.Timings(Duration.ofMillis(50), Duration.ofMillis(10)));
        pollers.add(poller);
        return poller;
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(DEADLINE, what, condition);
    }

    @Test
    void recordsArriveInOrderAndOnlyThoseThatPassTheFilters() {
        // GIVEN a new table and a running poller with the shipped filters
        String streamArn = createTable("gameservers-filters");
        RecordingHandler handler = new RecordingHandler();
        poller(streamArn, handler, message -> {}).start();

        // WHEN the API and the workflows write as they do
        dynamodb.putItem(p -> p.tableName("gameservers-filters").item(item("gs-a", 1, "CREATE_PENDING")));
        dynamodb.updateItem(u -> u.tableName("gameservers-filters")
                .key(key("gs-a"))
                .updateExpression("SET #s = :s, observed_generation = :g")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(
                        Map.of(":s", AttributeValue.fromS("ACTIVE"), ":g", AttributeValue.fromN("1"))));
        dynamodb.updateItem(u -> u.tableName("gameservers-filters")
                .key(key("gs-a"))
                .updateExpression("SET #s = :s, generation = :g")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(
                        Map.of(":s", AttributeValue.fromS("UPDATE_PENDING"), ":g", AttributeValue.fromN("2"))));
        dynamodb.updateItem(u -> u.tableName("gameservers-filters")
                .key(key("gs-b"))
                .updateExpression("SET generation = :g, #s = :s")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(
                        Map.of(":g", AttributeValue.fromN("1"), ":s", AttributeValue.fromS("CREATE_PENDING"))));
        dynamodb.deleteItem(d -> d.tableName("gameservers-filters").key(key("gs-a")));
        Map<String, AttributeValue> deleted = item("gs-c", 3, "DELETING");
        deleted.put("delete_requested", AttributeValue.fromBool(true));
        dynamodb.putItem(p -> p.tableName("gameservers-filters").item(deleted));
        dynamodb.deleteItem(d -> d.tableName("gameservers-filters").key(key("gs-c")));
        dynamodb.putItem(p -> p.tableName("gameservers-filters").item(item("gs-last", 1, "CREATE_PENDING")));

        // THEN the handler sees exactly the candidate records, in stream order
        await("the last record", () -> handler.delivered().contains("INSERT:gs-last"));
        assertEquals(
                List.of(
                        "INSERT:gs-a",
                        "MODIFY:gs-a",
                        "INSERT:gs-b",
                        "REMOVE:gs-a",
                        "INSERT:gs-c",
                        "REMOVE:gs-c",
                        "INSERT:gs-last"),
                handler.delivered());

        // AND the records are the typed events Lambda would deliver
        DynamodbEvent.DynamodbStreamRecord update = handler.records.get(1);
        assertEquals("2", update.getDynamodb().getNewImage().get("generation").getN());
        assertEquals("1", update.getDynamodb().getOldImage().get("generation").getN());
        assertEquals(
                "4",
                update.getDynamodb()
                        .getNewImage()
                        .get("config")
                        .getM()
                        .get("player_count")
                        .getN());
        assertEquals(streamArn, update.getEventSourceARN());
        assertEquals("aws:dynamodb", update.getEventSource());
        assertTrue(update.getDynamodb().getApproximateCreationDateTime() != null);
        await("the batch logged", () -> log.stream().anyMatch(line -> line.startsWith("handled [")));
    }

    @Test
    void reportedFailureIsRetriedFromTheFailedRecord() {
        // GIVEN three records already in the stream, and a handler that fails the middle one once
        String streamArn = createTable("gameservers-retry");
        for (String id : List.of("gs-one", "gs-two", "gs-three")) {
            dynamodb.putItem(p -> p.tableName("gameservers-retry").item(item(id, 1, "CREATE_PENDING")));
        }
        RecordingHandler handler = new RecordingHandler();
        handler.failOnce.add("gs-two");

        // WHEN the poller reads them
        poller(streamArn, handler, message -> {}).start();

        // THEN the batch is delivered again from the failed record, and the first is not repeated
        await("the redelivery", () -> handler.batches.size() >= 2);
        assertEquals(
                List.of(
                        List.of("INSERT:gs-one", "INSERT:gs-two", "INSERT:gs-three"),
                        List.of("INSERT:gs-two", "INSERT:gs-three")),
                handler.batches);
    }

    @Test
    void recordThatKeepsFailingGoesToTheOnFailureQueueAndTheShardMovesOn() throws Exception {
        // GIVEN a handler that always fails one record, and an SQS on-failure destination
        String streamArn = createTable("gameservers-poison");
        String queueUrl = sqs.createQueue(q -> q.queueName("stream-on-failure")).queueUrl();
        RecordingHandler handler = new RecordingHandler();
        handler.failAlways.add("gs-poison");
        poller(streamArn, handler, OnFailureDestination.sqs(sqs, queueUrl)).start();

        // WHEN the poison record is written, then a good one
        dynamodb.putItem(p -> p.tableName("gameservers-poison").item(item("gs-poison", 1, "CREATE_PENDING")));
        await("the poison record", () -> handler.delivered().contains("INSERT:gs-poison"));
        dynamodb.putItem(p -> p.tableName("gameservers-poison").item(item("gs-after", 1, "CREATE_PENDING")));

        // THEN after the retries the batch is described on the queue, and the next record is delivered
        await("the record after the poison", () -> handler.delivered().contains("INSERT:gs-after"));
        List<Message> messages = new ArrayList<>();
        await("the on-failure message", () -> {
            messages.addAll(sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1))
                    .messages());
            return !messages.isEmpty();
        });
        JsonNode message = mapper.readTree(messages.get(0).body());
        assertEquals(
                "RetryAttemptsExhausted",
                message.at("/requestContext/condition").asText());
        assertEquals(
                handler.records.get(0).getDynamodb().getSequenceNumber(),
                message.at("/DDBStreamBatchInfo/startSequenceNumber").asText());
        assertEquals(streamArn, message.at("/DDBStreamBatchInfo/streamArn").asText());
        assertEquals(
                3,
                handler.delivered().stream().filter("INSERT:gs-poison"::equals).count(),
                "one delivery and two retries");
    }

    @Test
    void streamHandlerStartsTheCreateExecutionInTheEmulator() {
        // GIVEN the real stream handler, with the Lambda's own clients, wired to the emulator's Step Functions and a
        // dead-letter queue
        String streamArn = createTable("gameservers-e2e");
        String role = "arn:aws:iam::123456789012:role/stackfleet-workflows";
        String pass = "{\"StartAt\": \"Done\", \"States\": {\"Done\": {\"Type\": \"Succeed\"}}}";
        String provision = sfn.createStateMachine(
                        c -> c.name("poller-it-provision").definition(pass).roleArn(role))
                .stateMachineArn();
        String deprovision = sfn.createStateMachine(
                        c -> c.name("poller-it-deprovision").definition(pass).roleArn(role))
                .stateMachineArn();
        String deadLetters =
                sqs.createQueue(q -> q.queueName("stream-dead-letters")).queueUrl();
        StreamHandler handler =
                new StreamHandler(new StreamConfig(provision, deprovision, deadLetters, 1, 2, 4), lambdaClients());
        poller(streamArn, handler, OnFailureDestination.sqs(sqs, deadLetters)).start();

        // WHEN a server is created and then deleted by an operator
        dynamodb.putItem(p -> p.tableName("gameservers-e2e").item(item(E2E, 1, "CREATE_PENDING")));
        dynamodb.deleteItem(d -> d.tableName("gameservers-e2e").key(key(E2E)));

        // THEN the create and the delete executions exist under their deterministic names
        await(
                "the create and delete executions",
                () -> sfn.listExecutions(l -> l.stateMachineArn(provision)).executions().stream()
                                .anyMatch(e -> e.name().equals(E2E + "-create-g1"))
                        && sfn.listExecutions(l -> l.stateMachineArn(deprovision)).executions().stream()
                                .anyMatch(e -> e.name().equals(E2E + "-delete-g1")));
        // the handler logs a start once StartExecution has answered, so the line may trail the execution
        await(
                "the start logged",
                () -> log.stream().anyMatch(line -> line.contains("execution=" + E2E + "-create-g1 outcome=started")));
    }

    @Test
    void aRecordThatCanNeverStartGoesToTheDeadLetterQueueWithItsReason() throws Exception {
        // GIVEN the real stream handler with the Lambda's own clients
        String streamArn = createTable("gameservers-dead-letters");
        String deadLetters =
                sqs.createQueue(q -> q.queueName("stream-dead-letters-2")).queueUrl();
        String absent = "arn:aws:states:us-east-1:123456789012:stateMachine:absent";
        StreamHandler handler =
                new StreamHandler(new StreamConfig(absent, absent, deadLetters, 1, 2, 4), lambdaClients());
        poller(streamArn, handler, OnFailureDestination.sqs(sqs, deadLetters)).start();

        // WHEN a create's item has no release, which no retry can give it
        Map<String, AttributeValue> item = item(E2E, 1, "CREATE_PENDING");
        item.remove("release");
        dynamodb.putItem(p -> p.tableName("gameservers-dead-letters").item(item));

        // THEN the stream handler sends the record to the dead-letter queue (SQS's SendMessage), with the reason
        List<String> bodies = new CopyOnWriteArrayList<>();
        await("the dead letter", () -> {
            sqs.receiveMessage(r -> r.queueUrl(deadLetters).waitTimeSeconds(1)).messages().stream()
                    .map(m -> m.body())
                    .forEach(bodies::add);
            return !bodies.isEmpty();
        });
        JsonNode letter = mapper.readTree(bodies.getFirst());
        assertEquals("stackfleet-stream", letter.path("source").asText());
        assertTrue(letter.path("reason").asText().contains("release"), letter.toString());
        assertEquals(
                E2E,
                letter.path("record")
                        .path("dynamodb")
                        .path("NewImage")
                        .path("gameserver_id")
                        .path("S")
                        .asText());
    }

    /** The clients the deployed stream Lambda builds, aimed at the emulator. */
    private static LambdaClients lambdaClients() {
        return LambdaClients.of(
                Region.US_EAST_1,
                CREDENTIALS,
                Map.of("AWS_ENDPOINT_URL", emulator.endpoint().toString())::get);
    }
}
