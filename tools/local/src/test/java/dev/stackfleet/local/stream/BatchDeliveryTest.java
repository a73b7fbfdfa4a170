package dev.stackfleet.local.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.EventSourceSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BatchDeliveryTest {

    private static final Instant NOW = Instant.parse("2026-11-27T18:00:00Z");
    private static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/gameservers/stream/x";

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<List<String>> invocations = new ArrayList<>();
    private final List<String> onFailure = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    private BatchDelivery delivery(int maxRetries, boolean bisect, Function<List<String>, StreamsEventResponse> fn) {
        RequestHandler<DynamodbEvent, StreamsEventResponse> handler = (event, context) -> {
            List<String> sequence = event.getRecords().stream()
                    .map(r -> r.getDynamodb().getSequenceNumber())
                    .toList();
            invocations.add(sequence);
            return fn.apply(sequence);
        };
        EventSourceSettings settings = new EventSourceSettings(10, 0, maxRetries, 3600, bisect, List.of());
        return new BatchDelivery(
                handler,
                settings,
                new LambdaRecordJson(),
                onFailure::add,
                log::add,
                Duration.ZERO,
                Clock.fixed(NOW, ZoneOffset.UTC),
                STREAM);
    }

    private List<PolledRecord> records(int count, Instant created) {
        List<PolledRecord> records = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ObjectNode json = mapper.createObjectNode();
            json.put("eventID", "e" + i);
            json.put("eventName", "INSERT");
            json.put("eventSource", "aws:dynamodb");
            ObjectNode d = json.putObject("dynamodb");
            d.putObject("Keys").putObject("gameserver_id").put("S", "gs-" + i);
            d.put("SequenceNumber", Integer.toString(i));
            d.put("StreamViewType", "NEW_AND_OLD_IMAGES");
            json.put("eventSourceARN", STREAM);
            records.add(new PolledRecord(json, Integer.toString(i), created));
        }
        return records;
    }

    private static StreamsEventResponse failing(String sequenceNumber) {
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(sequenceNumber)));
    }

    @Test
    void successfulBatchIsOneInvocation() throws Exception {
        delivery(2, true, seq -> new StreamsEventResponse()).deliver("shard-1", records(3, NOW));

        assertEquals(List.of(List.of("1", "2", "3")), invocations);
        assertEquals(List.of(), onFailure);
    }

    @Test
    void reportedFailureIsRetriedFromThatRecordOnly() throws Exception {
        // GIVEN a handler that reports record 3 once (and 4, which is later: the lowest counts)
        boolean[] failedOnce = {false};
        BatchDelivery delivery = delivery(2, true, seq -> {
            if (!failedOnce[0]) {
                failedOnce[0] = true;
                return new StreamsEventResponse(List.of(
                        new StreamsEventResponse.BatchItemFailure("4"),
                        new StreamsEventResponse.BatchItemFailure("3")));
            }
            return new StreamsEventResponse();
        });

        // WHEN
        delivery.deliver("shard-1", records(5, NOW));

        // THEN the redelivery starts at record 3, not bisected, and nothing is given up
        assertEquals(List.of(List.of("1", "2", "3", "4", "5"), List.of("3", "4", "5")), invocations);
        assertEquals(List.of(), onFailure);
    }

    @Test
    void functionErrorsBisectDownToThePoisonRecordWhichIsGivenUpAfterTheRetries() throws Exception {
        // GIVEN a handler that throws whenever record 3 is in its batch
        BatchDelivery delivery = delivery(2, true, seq -> {
            if (seq.contains("3")) {
                throw new IllegalStateException("boom");
            }
            return new StreamsEventResponse();
        });

        // WHEN
        delivery.deliver("shard-1", records(4, NOW));

        // THEN halves are retried until record 3 stands alone and exhausts its retries; the others succeed
        assertEquals(
                List.of(List.of("1", "2", "3", "4"), List.of("1", "2"), List.of("3", "4"), List.of("3"), List.of("4")),
                invocations);
        assertEquals(1, onFailure.size());
        JsonNode message = mapper.readTree(onFailure.get(0));
        assertEquals(
                "RetryAttemptsExhausted",
                message.at("/requestContext/condition").asText());
        assertEquals("Unhandled", message.at("/responseContext/functionError").asText());
        assertEquals("3", message.at("/DDBStreamBatchInfo/startSequenceNumber").asText());
        assertEquals("3", message.at("/DDBStreamBatchInfo/endSequenceNumber").asText());
        assertEquals(1, message.at("/DDBStreamBatchInfo/batchSize").asInt());
        assertEquals("shard-1", message.at("/DDBStreamBatchInfo/shardId").asText());
        assertEquals(STREAM, message.at("/DDBStreamBatchInfo/streamArn").asText());
    }

    @Test
    void persistentReportedFailureIsGivenUpWithTheRestOfTheBatchAfterMaxRetries() throws Exception {
        // GIVEN a handler that always reports record 2
        BatchDelivery delivery =
                delivery(2, true, seq -> seq.contains("2") ? failing("2") : new StreamsEventResponse());

        // WHEN
        delivery.deliver("shard-1", records(3, NOW));

        // THEN one delivery and two retries from record 2, then records 2..3 go to the on-failure destination
        assertEquals(List.of(List.of("1", "2", "3"), List.of("2", "3"), List.of("2", "3")), invocations);
        JsonNode message = mapper.readTree(onFailure.get(0));
        assertEquals("2", message.at("/DDBStreamBatchInfo/startSequenceNumber").asText());
        assertEquals("3", message.at("/DDBStreamBatchInfo/endSequenceNumber").asText());
        assertEquals(3, message.at("/requestContext/approximateInvokeCount").asInt());
        assertTrue(message.at("/responseContext/functionError").isMissingNode());
    }

    @Test
    void unknownItemIdentifierFailsTheWholeBatch() throws Exception {
        boolean[] failedOnce = {false};
        BatchDelivery delivery = delivery(2, false, seq -> {
            if (!failedOnce[0]) {
                failedOnce[0] = true;
                return failing("no-such-record");
            }
            return new StreamsEventResponse();
        });

        delivery.deliver("shard-1", records(2, NOW));

        assertEquals(List.of(List.of("1", "2"), List.of("1", "2")), invocations);
    }

    @Test
    void recordsOlderThanTheMaximumAgeAreGivenUpUnseen() throws Exception {
        // GIVEN records written two hours ago, with a maximum age of one hour
        BatchDelivery delivery = delivery(2, true, seq -> new StreamsEventResponse());

        // WHEN
        delivery.deliver("shard-1", records(2, NOW.minus(Duration.ofHours(2))));

        // THEN the handler never sees them and the on-failure destination hears of them
        assertEquals(List.of(), invocations);
        assertEquals(
                "RecordAgeExceeded",
                mapper.readTree(onFailure.get(0))
                        .at("/requestContext/condition")
                        .asText());
    }
}
