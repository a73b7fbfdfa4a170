package dev.stackfleet.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.core.LoggingLambdaContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

class StreamHandlerTest {

    static final String PROVISION = "arn:aws:states:us-east-1:123456789012:stateMachine:stackfleet-provision";
    static final String DEPROVISION = "arn:aws:states:us-east-1:123456789012:stateMachine:stackfleet-deprovision";
    static final String DLQ = "https://sqs.us-east-1.amazonaws.com/123456789012/stackfleet-stream-dead-letters";

    static final String ALICE = "gs-abcdefghij234567klmn";
    static final String BOB = "gs-bcdefghij234567klmna";
    static final String CAROL = "gs-cdefghij234567klmnab";
    static final String DAVE = "gs-defghij234567klmnabc";
    static final String ERIN = "gs-efghij234567klmnabcd";
    static final String FIONA = "gs-fghij234567klmnabcde";

    private final ObjectMapper mapper = new ObjectMapper();
    private final FakeSfn sfn = new FakeSfn();
    private final FakeSqs sqs = new FakeSqs();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggingLambdaContext context = new LoggingLambdaContext("stackfleet-stream", lines::add);

    private StreamHandler handler(int maxConcurrentStarts) {
        return new StreamHandler(new StreamConfig(PROVISION, DEPROVISION, DLQ, 5, 60, maxConcurrentStarts), sfn, sqs);
    }

    private StreamsEventResponse handle(DynamodbEvent event) {
        return handler(8).handleRequest(event, context);
    }

    private static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    // ---- one test per row of the event table --------------------------------------------------------------

    @ParameterizedTest
    @Event(value = "stream/insert.json", type = DynamodbEvent.class)
    void insertOfNewServerStartsCreateWithContractInput(DynamodbEvent event) throws Exception {
        // GIVEN an INSERT of a new server at generation 1
        // WHEN the handler runs
        StreamsEventResponse response = handle(event);

        // THEN one provision execution named for the create, with exactly the contract's input
        assertEquals(List.of(), failures(response));
        FakeSfn.Execution execution = sfn.executions().get(ALICE + "-create-g1");
        assertEquals(PROVISION, execution.stateMachineArn());
        assertEquals(mapper.readTree("""
                {"intent": "create", "owner": "alice", "gameserver_id": "gs-abcdefghij234567klmn",
                 "generation": 1, "stack_name": "stackfleet-gs-abcdefghij234567klmn",
                 "config": {"difficulty": "easy", "player_count": 4, "seed": "s33d"},
                 "placement": {"account_id": "123456789012", "region": "us-east-1",
                               "role_arn": "arn:aws:iam::123456789012:role/stackfleet-workload-access"},
                 "poll": {"initial_seconds": 5, "max_seconds": 60}, "release": "3f9a2c1d4b5e"}
                """), mapper.readTree(execution.input()));
        assertTrue(mapper.readTree(execution.input()).at("/config/player_count").isIntegralNumber());
        assertEquals(1, sfn.executions().size());
        assertEquals(List.of(), sqs.sent());
        assertEquals(
                List.of("record=c4ca4238a0b923820dcc509a6f75849b seq=100000000000000000001 event=INSERT"
                        + " server=alice/" + ALICE + " intent=create execution=" + ALICE
                        + "-create-g1 outcome=started"),
                lines);
    }

    @ParameterizedTest
    @Event(value = "stream/modify-config-change.json", type = DynamodbEvent.class)
    void modifyWhereGenerationRoseStartsUpdate(DynamodbEvent event) throws Exception {
        // GIVEN a MODIFY that raised generation from 1 to 2 with a new config
        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN a provision execution for the update of generation 2, carrying the new config
        assertEquals(List.of(), failures(response));
        FakeSfn.Execution execution = sfn.executions().get(ALICE + "-update-g2");
        assertEquals(PROVISION, execution.stateMachineArn());
        JsonNode input = mapper.readTree(execution.input());
        assertEquals("update", input.get("intent").asText());
        assertEquals(2, input.get("generation").asInt());
        assertEquals(
                mapper.readTree("{\"difficulty\": \"hard\", \"player_count\": 8, \"seed\": \"s33d\"}"),
                input.get("config"));
        assertEquals(1, sfn.executions().size());
    }

    @ParameterizedTest
    @Event(value = "stream/modify-delete-requested.json", type = DynamodbEvent.class)
    void modifyWhereDeletionWasRequestedStartsDeprovision(DynamodbEvent event) throws Exception {
        // GIVEN a MODIFY that set delete_requested at generation 3
        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN a deprovision execution for the delete of generation 3
        assertEquals(List.of(), failures(response));
        FakeSfn.Execution execution = sfn.executions().get(ALICE + "-delete-g3");
        assertEquals(DEPROVISION, execution.stateMachineArn());
        JsonNode input = mapper.readTree(execution.input());
        assertEquals("delete", input.get("intent").asText());
        assertEquals("stackfleet-" + ALICE, input.get("stack_name").asText());
        assertEquals(1, sfn.executions().size());
    }

    @ParameterizedTest
    @Event(value = "stream/remove-by-operator.json", type = DynamodbEvent.class)
    void removeOfItemWithoutDeletionRequestStartsDeprovisionFromOldImage(DynamodbEvent event) throws Exception {
        // GIVEN an operator removed the item of a server at generation 2 (no delete_requested)
        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN its stack is deprovisioned, from the old image's placement
        assertEquals(List.of(), failures(response));
        FakeSfn.Execution execution = sfn.executions().get(ALICE + "-delete-g2");
        assertEquals(DEPROVISION, execution.stateMachineArn());
        JsonNode input = mapper.readTree(execution.input());
        assertEquals(
                "arn:aws:iam::123456789012:role/stackfleet-workload-access",
                input.at("/placement/role_arn").asText());
        assertEquals(1, sfn.executions().size());
    }

    @ParameterizedTest
    @Events(
            type = DynamodbEvent.class,
            events = {@Event("stream/modify-status-only.json"), @Event("stream/insert-keys-only.json")})
    void workflowStatusWritesAndKeysOnlyInsertsStartNothing(DynamodbEvent event) {
        // GIVEN a record that carries no intent
        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN nothing is started, nothing dead-lettered, and the log says why
        assertEquals(List.of(), failures(response));
        assertEquals(Map.of(), sfn.executions());
        assertEquals(List.of(), sfn.calls());
        assertEquals(List.of(), sqs.sent());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("intent=none execution=- outcome=ignored: "), lines.get(0));
    }

    @ParameterizedTest
    @Event(value = "stream/remove-finished-deprovision.json", type = DynamodbEvent.class)
    void removeAfterARequestedDeletionStartsItsDeprovisionUnderTheSameName(DynamodbEvent event) {
        // GIVEN a delete-requested item of generation 3 removed (by its deprovision, or by an operator before the
        // deprovision ever started)
        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN the deletion's own execution is started under its deterministic name, so that it runs if it never
        // did, and is refused as existing (counted as done) if it did
        assertEquals(List.of(), failures(response));
        assertEquals(List.of(ALICE + "-delete-g3"), List.copyOf(sfn.executions().keySet()));
        assertEquals(DEPROVISION, sfn.executions().get(ALICE + "-delete-g3").stateMachineArn());
        assertTrue(
                lines.get(0).endsWith("intent=delete execution=" + ALICE + "-delete-g3 outcome=started"), lines.get(0));

        // WHEN the same REMOVE arrives again (the deprovision ran meanwhile)
        StreamsEventResponse again = handle(EventLoader.loadDynamoDbEvent("stream/remove-finished-deprovision.json"));

        // THEN nothing new starts
        assertEquals(List.of(), failures(again));
        assertEquals(1, sfn.executions().size());
        assertTrue(lines.get(1).endsWith("outcome=already started"), lines.get(1));
    }

    @Test
    void mixedBatchStartsOneExecutionPerIntentAndLogsEveryRecord() {
        // GIVEN a batch with one record of each kind
        DynamodbEvent event = EventLoader.loadDynamoDbEvent("stream/mixed-batch.json");

        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN exactly the five intents are started, on the right state machines
        assertEquals(List.of(), failures(response));
        Map<String, FakeSfn.Execution> executions = sfn.executions();
        assertEquals(
                List.of(
                        ALICE + "-create-g1",
                        CAROL + "-update-g2",
                        DAVE + "-delete-g3",
                        ERIN + "-delete-g2",
                        FIONA + "-delete-g3"),
                executions.keySet().stream().sorted().toList());
        assertEquals(PROVISION, executions.get(CAROL + "-update-g2").stateMachineArn());
        assertEquals(DEPROVISION, executions.get(ERIN + "-delete-g2").stateMachineArn());
        assertEquals(List.of(), sqs.sent());
        assertEquals(7, lines.size());
        assertTrue(
                lines.get(1).contains("server=bob/" + BOB) && lines.get(1).contains("outcome=ignored: "), lines.get(1));
        assertTrue(
                lines.get(5).contains("intent=delete execution=" + FIONA + "-delete-g3 outcome=started"), lines.get(5));
    }

    // ---- duplicates ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @Event(value = "stream/duplicates.json", type = DynamodbEvent.class)
    void sameRecordTwiceInABatchStartsOneExecution(DynamodbEvent event) {
        // GIVEN the same INSERT twice in one batch
        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN one execution; the second start is refused as existing, which counts as done
        assertEquals(List.of(), failures(response));
        assertEquals(List.of(ALICE + "-create-g1"), List.copyOf(sfn.executions().keySet()));
        assertEquals(List.of(ALICE + "-create-g1", ALICE + "-create-g1"), sfn.calls());
        assertTrue(lines.get(1).endsWith("outcome=already started"), lines.get(1));
    }

    @Test
    void redeliveredBatchStartsNothingNewAndSucceeds() {
        // GIVEN a batch that was handled once already
        DynamodbEvent event = EventLoader.loadDynamoDbEvent("stream/mixed-batch.json");
        handle(event);
        Map<String, FakeSfn.Execution> first = sfn.executions();

        // WHEN Lambda delivers it again
        StreamsEventResponse again = handle(EventLoader.loadDynamoDbEvent("stream/mixed-batch.json"));

        // THEN it succeeds without a new execution
        assertEquals(List.of(), failures(again));
        assertEquals(first, sfn.executions());
        assertEquals(10, sfn.calls().size());
    }

    // ---- transient failures --------------------------------------------------------------------------------

    @Test
    void throttledStartIsReportedAsTheCheckpointAndOthersAreStarted() {
        // GIVEN Step Functions throttles the start of carol's update (third record)
        sfn.failNext(CAROL + "-update-g2", FakeSfn.throttling());
        DynamodbEvent event = EventLoader.loadDynamoDbEvent("stream/mixed-batch.json");

        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN Lambda is told to resume from that record only; the other intents are started anyway
        assertEquals(List.of("200000000000000000003"), failures(response));
        assertEquals(
                List.of(ALICE + "-create-g1", DAVE + "-delete-g3", ERIN + "-delete-g2", FIONA + "-delete-g3"),
                sfn.executions().keySet().stream().sorted().toList());
        assertTrue(lines.get(2).contains("outcome=retry: ThrottlingException (HTTP 400)"), lines.get(2));

        // WHEN Lambda redelivers from the checkpoint and the throttling has passed
        List<DynamodbStreamRecord> rest =
                event.getRecords().subList(2, event.getRecords().size());
        StreamsEventResponse retry = handle(batch(rest));

        // THEN the batch completes with one execution per intent
        assertEquals(List.of(), failures(retry));
        assertEquals(5, sfn.executions().size());
    }

    @Test
    void clientErrorAndServerErrorAreTransientToo() {
        // GIVEN a network failure for alice's create and a 500 for carol's update
        sfn.failNext(ALICE + "-create-g1", SdkClientException.create("Read timed out"));
        sfn.failNext(CAROL + "-update-g2", FakeSfn.serverError());

        // WHEN
        StreamsEventResponse response = handle(EventLoader.loadDynamoDbEvent("stream/mixed-batch.json"));

        // THEN the lowest failed record is the checkpoint
        assertEquals(List.of("200000000000000000001"), failures(response));
        assertTrue(lines.get(0).contains("outcome=retry: SdkClientException: Read timed out"), lines.get(0));
        assertTrue(
                lines.get(2).contains("outcome=redelivered after the retried record: InternalFailure"), lines.get(2));
    }

    @Test
    void laterRecordOfAServerIsNotStartedWhenItsEarlierOneFailed() {
        // GIVEN a create and then an update of the same server, and the create is throttled
        DynamodbStreamRecord create =
                EventLoader.loadDynamoDbEvent("stream/insert.json").getRecords().get(0);
        DynamodbStreamRecord update = EventLoader.loadDynamoDbEvent("stream/modify-config-change.json")
                .getRecords()
                .get(0);
        sfn.failNext(ALICE + "-create-g1", FakeSfn.throttling());

        // WHEN
        StreamsEventResponse response = handle(batch(List.of(create, update)));

        // THEN the update is not attempted before its create, and the create is the checkpoint
        assertEquals(List.of(create.getDynamodb().getSequenceNumber()), failures(response));
        assertEquals(List.of(ALICE + "-create-g1"), sfn.calls());
    }

    // ---- records that can never succeed --------------------------------------------------------------------

    @ParameterizedTest
    @Event(value = "stream/malformed.json", type = DynamodbEvent.class)
    void malformedRecordIsDeadLetteredWithTheWholeRecordAndTheReason(DynamodbEvent event) throws Exception {
        // GIVEN a batch whose middle record has generation "one" and no placement
        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN the batch succeeds, the good records start, and the bad one is in the dead-letter queue
        assertEquals(List.of(), failures(response));
        assertEquals(
                List.of(ALICE + "-create-g1", CAROL + "-create-g1"),
                sfn.executions().keySet().stream().sorted().toList());
        assertEquals(1, sqs.sent().size());
        assertEquals(DLQ, sqs.sent().get(0).queueUrl());
        JsonNode message = mapper.readTree(sqs.sent().get(0).messageBody());
        assertEquals("stackfleet-stream", message.get("source").asText());
        assertEquals(
                "NewImage has 'generation' = 'one', not a whole number",
                message.get("reason").asText());
        assertEquals("300000000000000000002", message.get("sequenceNumber").asText());
        assertEquals(
                event.getRecords().get(1).getEventSourceARN(),
                message.get("eventSourceARN").asText());
        JsonNode record = message.get("record");
        assertEquals(
                event.getRecords().get(1).getEventID(), record.get("eventID").asText());
        assertEquals("INSERT", record.get("eventName").asText());
        assertEquals("one", record.at("/dynamodb/NewImage/generation/N").asText());
        assertEquals("bob", record.at("/dynamodb/Keys/owner/S").asText());
        assertEquals("s33d", record.at("/dynamodb/NewImage/config/M/seed/S").asText());
        assertEquals("NEW_AND_OLD_IMAGES", record.at("/dynamodb/StreamViewType").asText());
        assertFalse(message.has("execution"));
        assertTrue(lines.get(1).contains("outcome=dead-lettered: NewImage has 'generation' = 'one'"), lines.get(1));
    }

    @Test
    void deadLetteredRecordCanBeReplayedThroughTheHandler() throws Exception {
        // GIVEN the dead-letter message of a record, repaired by an operator
        handle(EventLoader.loadDynamoDbEvent("stream/malformed.json"));
        JsonNode record = mapper.readTree(sqs.sent().get(0).messageBody()).get("record");
        String repaired = record.toString()
                .replace("{\"N\":\"one\"}", "{\"N\":\"1\"}")
                .replace(
                        "\"generation\"",
                        "\"placement\":{\"M\":{\"account_id\":{\"S\":\"123456789012\"},"
                                + "\"region\":{\"S\":\"us-east-1\"},\"role_arn\":{\"S\":\"arn:aws:iam::123456789012:role/"
                                + "stackfleet-workload-access\"}}},\"generation\"");
        DynamodbEvent replay =
                com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers.serializerFor(
                                DynamodbEvent.class, getClass().getClassLoader())
                        .fromJson("{\"Records\": [" + repaired + "]}");

        // WHEN it is fed to the handler again
        StreamsEventResponse response = handle(replay);

        // THEN it starts its create
        assertEquals(List.of(), failures(response));
        assertTrue(sfn.executions().containsKey(BOB + "-create-g1"));
    }

    @Test
    void missingStateMachineKeepsTheRecordOnTheStreamInsteadOfDeadLetteringIt() {
        // GIVEN a bad deploy: the provision state machine does not exist
        sfn.failNext(
                ALICE + "-create-g1",
                StateMachineDoesNotExistException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("StateMachineDoesNotExist")
                                .errorMessage("State Machine Does Not Exist")
                                .build())
                        .build());

        // WHEN
        StreamsEventResponse response = handle(EventLoader.loadDynamoDbEvent("stream/insert.json"));

        // THEN the record is retried from its checkpoint, nothing is dead-lettered
        assertEquals(List.of("100000000000000000001"), failures(response));
        assertEquals(List.of(), sqs.sent());
        assertTrue(lines.get(0).contains("outcome=retry: configuration: StateMachineDoesNotExist"), lines.get(0));

        // WHEN the deploy is fixed and Lambda delivers the record again
        StreamsEventResponse retry = handle(EventLoader.loadDynamoDbEvent("stream/insert.json"));

        // THEN the create starts
        assertEquals(List.of(), failures(retry));
        assertEquals(List.of(ALICE + "-create-g1"), List.copyOf(sfn.executions().keySet()));
    }

    @Test
    void executionRefusedAsInvalidIsDeadLetteredWithTheExecution() throws Exception {
        // GIVEN Step Functions refuses the input of alice's create as invalid
        sfn.failNext(
                ALICE + "-create-g1",
                InvalidExecutionInputException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("InvalidExecutionInput")
                                .errorMessage("Invalid State Machine Execution Input")
                                .build())
                        .build());

        // WHEN
        StreamsEventResponse response = handle(EventLoader.loadDynamoDbEvent("stream/insert.json"));

        // THEN it is not retried but dead-lettered with the execution it would have started
        assertEquals(List.of(), failures(response));
        JsonNode message = mapper.readTree(sqs.sent().get(0).messageBody());
        assertTrue(
                message.get("reason")
                        .asText()
                        .startsWith("Step Functions rejected the execution: " + "InvalidExecutionInput"),
                message.get("reason").asText());
        assertEquals(ALICE + "-create-g1", message.at("/execution/name").asText());
        assertEquals(PROVISION, message.at("/execution/stateMachineArn").asText());
        assertEquals("create", message.at("/execution/input/intent").asText());
    }

    @Test
    void deadLetterQueueFailureReportsTheRecordInsteadOfLosingIt() {
        // GIVEN the dead-letter queue is unavailable
        sqs.failing = true;

        // WHEN a batch with a malformed record is handled
        StreamsEventResponse response = handle(EventLoader.loadDynamoDbEvent("stream/malformed.json"));

        // THEN the malformed record is the checkpoint, so Lambda delivers it again
        assertEquals(List.of("300000000000000000002"), failures(response));
        assertTrue(sfn.executions().containsKey(ALICE + "-create-g1"));
        assertTrue(
                lines.get(1).contains("outcome=retry: dead-letter queue unavailable (ServiceUnavailable"),
                lines.get(1));
    }

    @Test
    void recordAfterTheCheckpointIsDeadLetteredOnlyOnItsRedelivery() {
        // GIVEN the first record's start is throttled, and the second record is malformed
        sfn.failNext(ALICE + "-create-g1", FakeSfn.throttling());
        DynamodbEvent event = EventLoader.loadDynamoDbEvent("stream/malformed.json");

        // WHEN
        StreamsEventResponse response = handle(event);

        // THEN nothing is dead-lettered yet: the malformed record comes again after the checkpoint
        assertEquals(List.of("300000000000000000001"), failures(response));
        assertEquals(List.of(), sqs.sent());

        // WHEN the batch is redelivered from the checkpoint
        StreamsEventResponse retry = handle(event);

        // THEN the malformed record is dead-lettered exactly once
        assertEquals(List.of(), failures(retry));
        assertEquals(1, sqs.sent().size());
    }

    // ---- concurrency -----------------------------------------------------------------------------------

    @Test
    void startsRunConcurrentlyButNeverMoreThanTheBound() throws Exception {
        // GIVEN ten INSERTs of different servers, a bound of 3, and starts that block until released
        DynamodbStreamRecord template =
                EventLoader.loadDynamoDbEvent("stream/insert.json").getRecords().get(0);
        List<DynamodbStreamRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(withServer(template, "gs-concurrentabcdefgha" + (char) ('a' + i), "10000000000000000010" + i));
        }
        sfn.holdStarts();
        StreamHandler handler = handler(3);

        // WHEN the batch is handled
        CompletableFuture<StreamsEventResponse> response =
                CompletableFuture.supplyAsync(() -> handler.handleRequest(batch(records), context));

        // THEN three starts run at once, and no fourth begins while they are held
        assertTrue(sfn.awaitArrivals(3, Duration.ofSeconds(10)), "three starts should run concurrently");
        assertFalse(sfn.awaitArrivals(1, Duration.ofMillis(300)), "a fourth start ran beyond the bound");
        sfn.release();
        assertEquals(List.of(), failures(response.get(10, TimeUnit.SECONDS)));
        assertEquals(10, sfn.executions().size());
        assertEquals(3, sfn.maxInFlight());
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static DynamodbEvent batch(List<DynamodbStreamRecord> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    private static DynamodbStreamRecord withServer(DynamodbStreamRecord template, String id, String sequence) {
        DynamodbStreamRecord copy =
                EventLoader.loadDynamoDbEvent("stream/insert.json").getRecords().get(0);
        Map<String, AttributeValue> image = new HashMap<>(template.getDynamodb().getNewImage());
        image.put("gameserver_id", new AttributeValue().withS(id));
        image.put("stack_name", new AttributeValue().withS("stackfleet-" + id));
        copy.getDynamodb().setNewImage(image);
        copy.getDynamodb()
                .setKeys(Map.of(
                        "owner", new AttributeValue().withS("alice"), "gameserver_id", new AttributeValue().withS(id)));
        copy.getDynamodb().setSequenceNumber(sequence);
        return copy;
    }
}
