package dev.stackfleet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.GameServerStore.CreateOutcome;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The store's writes as DynamoDB receives them, and what it makes of DynamoDB's cancellation reasons (one per
 * item, in request order: the server first, the quota item second, the placement account third).
 */
class DynamoDbGameServerStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String OWNER = "7d1c2b3a-0000-4000-8000-000000000001";
    private static final GameServer SERVER = GameServer.requested(
            OWNER,
            "alice",
            "gs-abcdefghijklmnopqrst",
            new GameServerConfig("easy", 4, "s33d"),
            Placement.of("222222222222", "eu-west-1", "access"),
            "3f9a2c1d4b5e",
            NOW);

    private final ScriptedDynamoDb dynamoDb = new ScriptedDynamoDb();
    private final DynamoDbGameServerStore store =
            new DynamoDbGameServerStore(dynamoDb, "gameservers", "quotas", "accounts", "releases");

    @Test
    void createPutsTheServerAndTakesAQuotaSlotAndAnAccountSlotInOneTransaction() {
        assertEquals(CreateOutcome.CREATED, store.create(SERVER, 10));

        assertEquals(
                "gs-abcdefghijklmnopqrst",
                dynamoDb.requests.getFirst().clientRequestToken(),
                "a retried request is the same transaction to DynamoDB, not a second create");
        var items = dynamoDb.requests.getFirst().transactItems();
        assertEquals(3, items.size());
        assertEquals("gameservers", items.get(0).put().tableName());
        assertEquals("attribute_not_exists(gameserver_id)", items.get(0).put().conditionExpression());
        var slot = items.get(1).update();
        assertEquals("quotas", slot.tableName());
        assertEquals(Map.of("owner", AttributeValue.fromS(OWNER)), slot.key());
        assertEquals("ADD #servers :id", slot.updateExpression());
        assertEquals("attribute_not_exists(#servers) OR size(#servers) < :limit", slot.conditionExpression());
        assertEquals(
                AttributeValue.fromSs(List.of("gs-abcdefghijklmnopqrst")),
                slot.expressionAttributeValues().get(":id"));
        assertEquals(
                AttributeValue.fromN("10"), slot.expressionAttributeValues().get(":limit"));
        var account = items.get(2).update();
        assertEquals("accounts", account.tableName());
        assertEquals(Map.of("account_id", AttributeValue.fromS("222222222222")), account.key());
        assertEquals("ADD #servers :id, #used :one", account.updateExpression());
        assertEquals(
                "#state = :open AND attribute_not_exists(#quarantine) AND #used < #capacity",
                account.conditionExpression());
    }

    @Test
    void aRejectedAccountConditionIsAnUnavailableAccount() {
        dynamoDb.cancelNext("None", "None", "ConditionalCheckFailed");

        assertEquals(CreateOutcome.ACCOUNT_UNAVAILABLE, store.create(SERVER, 10));
    }

    @Test
    void aRejectedQuotaConditionIsQuotaExceeded() {
        dynamoDb.cancelNext("None", "ConditionalCheckFailed");

        assertEquals(CreateOutcome.QUOTA_EXCEEDED, store.create(SERVER, 10));
    }

    @Test
    void aRejectedServerConditionIsATakenId() {
        dynamoDb.cancelNext("ConditionalCheckFailed", "None");

        assertEquals(CreateOutcome.ID_TAKEN, store.create(SERVER, 10));
    }

    @Test
    void anExistingIdIsReportedBeforeAFullQuota() {
        // as when the first attempt was written but its answer lost: the retry finds both conditions failing
        dynamoDb.cancelNext("ConditionalCheckFailed", "ConditionalCheckFailed");

        assertEquals(CreateOutcome.ID_TAKEN, store.create(SERVER, 10));
    }

    @Test
    void aConflictWithAConcurrentTransactionIsTriedAgain() {
        dynamoDb.cancelNext("None", "TransactionConflict");
        dynamoDb.cancelNext("None", "TransactionConflict");

        assertEquals(CreateOutcome.CREATED, store.create(SERVER, 10));
        assertEquals(3, dynamoDb.requests.size());
    }

    @Test
    void aConflictThatOutlastsTheAttemptsIsThrown() {
        for (int i = 0; i < Transactions.ATTEMPTS; i++) {
            dynamoDb.cancelNext("None", "TransactionConflict");
        }

        TransactionCanceledException thrown =
                assertThrows(TransactionCanceledException.class, () -> store.create(SERVER, 10));
        assertTrue(Transactions.isTransient(thrown));
        assertEquals(Transactions.ATTEMPTS, dynamoDb.requests.size());
    }

    @Test
    void anyOtherCancellationIsThrown() {
        dynamoDb.cancelNext("ValidationError", "None");

        assertThrows(TransactionCanceledException.class, () -> store.create(SERVER, 10));
        assertEquals(1, dynamoDb.requests.size());
    }

    @Test
    void aFullQuotaIsAnsweredFromOneReadWithoutATransaction() {
        dynamoDb.heldSlots = 10;

        assertEquals(CreateOutcome.QUOTA_EXCEEDED, store.create(SERVER, 10));
        assertEquals(List.of(), dynamoDb.requests);
    }

    @Test
    void aRepeatedCreateThatTookTheLastSlotIsATakenIdAnsweredFromTheSameRead() {
        // GIVEN the quota is full, and one of its slots is this very server's (its create's answer was lost)
        dynamoDb.heldSlots = 10;
        dynamoDb.serverHoldsASlot = true;

        // WHEN it is repeated, THEN the service is told the id is taken and finds its own server
        assertEquals(CreateOutcome.ID_TAKEN, store.create(SERVER, 10));
        assertEquals(List.of(), dynamoDb.requests);
    }

    @Test
    void aDeleteRequestMarksTheServerThenFreesItsSlot() {
        GameServer deleting =
                store.requestDelete(OWNER, SERVER.gameServerId(), NOW).orElseThrow();

        assertTrue(deleting.deleteRequested());
        var mark = dynamoDb.updates.get(0);
        assertEquals("gameservers", mark.tableName());
        assertEquals("attribute_exists(#id) AND attribute_not_exists(#deleteRequested)", mark.conditionExpression());
        var release = dynamoDb.updates.get(1);
        assertEquals("quotas", release.tableName());
        assertEquals("DELETE #servers :id", release.updateExpression());
        assertEquals(null, release.conditionExpression(), "releasing a free slot changes nothing");
        assertEquals(
                AttributeValue.fromSs(List.of("gs-abcdefghijklmnopqrst")),
                release.expressionAttributeValues().get(":id"));
    }

    @Test
    void aDeleteRequestThatLostTheRaceWritesNothing() {
        dynamoDb.rejectNextUpdate = true;

        assertTrue(store.requestDelete(OWNER, SERVER.gameServerId(), NOW).isEmpty());
        assertEquals(0, dynamoDb.updates.size(), "no slot released for a deletion this request did not make");
    }

    /**
     * Records each transaction and update and answers with the scripted cancellations, then with success; the
     * quota item holds {@code heldSlots} ids, the first of them {@code SERVER}'s when {@code serverHoldsASlot}.
     */
    private static final class ScriptedDynamoDb implements DynamoDbClient {

        final List<TransactWriteItemsRequest> requests = new ArrayList<>();
        final List<UpdateItemRequest> updates = new ArrayList<>();
        private final Deque<List<String>> cancellations = new ArrayDeque<>();
        int heldSlots;
        boolean serverHoldsASlot;
        boolean rejectNextUpdate;

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            List<String> ids = java.util.stream.IntStream.range(0, heldSlots)
                    .mapToObj(i -> serverHoldsASlot && i == 0 ? SERVER.gameServerId() : "gs-held" + i)
                    .toList();
            return GetItemResponse.builder()
                    .item(
                            ids.isEmpty()
                                    ? Map.of()
                                    : Map.of(
                                            "owner",
                                            AttributeValue.fromS(OWNER),
                                            "servers",
                                            AttributeValue.fromSs(ids)))
                    .build();
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            if (rejectNextUpdate) {
                rejectNextUpdate = false;
                throw ConditionalCheckFailedException.builder()
                        .message("The conditional request failed")
                        .build();
            }
            updates.add(request);
            Map<String, AttributeValue> item = new java.util.HashMap<>(GameServerItem.toItem(SERVER));
            item.put("delete_requested", AttributeValue.fromBool(true));
            item.put("status", AttributeValue.fromS("DELETE_PENDING"));
            return UpdateItemResponse.builder().attributes(item).build();
        }

        void cancelNext(String... codes) {
            cancellations.add(List.of(codes));
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            requests.add(request);
            List<String> codes = cancellations.poll();
            if (codes == null) {
                return TransactWriteItemsResponse.builder().build();
            }
            throw TransactionCanceledException.builder()
                    .statusCode(400)
                    .message("Transaction cancelled " + codes)
                    .cancellationReasons(codes.stream()
                            .map(c -> CancellationReason.builder().code(c).build())
                            .toList())
                    .build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {}
    }
}
