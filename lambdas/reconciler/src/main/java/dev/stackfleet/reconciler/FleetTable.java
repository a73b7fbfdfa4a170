package dev.stackfleet.reconciler;

import static dev.stackfleet.core.ItemAttributes.GAMESERVER_ID;
import static dev.stackfleet.core.ItemAttributes.GENERATION;
import static dev.stackfleet.core.ItemAttributes.OWNER;
import static dev.stackfleet.core.ItemAttributes.STATUS;
import static dev.stackfleet.core.ItemAttributes.UPDATED_AT;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The reconciler's view of the game server table: servers by status through the {@code by-status} index (never a
 * Scan), one item by key with a consistent read before acting on it, and the reason of a repair written back.
 */
final class FleetTable {

    /** The index on {@code status} and {@code updated_at} (docs/contracts.md). */
    static final String BY_STATUS = "by-status";
    /** Why the reconciler last repaired a server, and when (docs/contracts.md). */
    static final String RECONCILE_REASON = "reconcile_reason";

    static final String RECONCILED_AT = "reconciled_at";

    private static final int PAGE_SIZE = 100;

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final CallCount calls;

    FleetTable(DynamoDbClient dynamo, String tableName, CallCount calls) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.calls = calls;
    }

    /**
     * Every server of a status (as the index has it, which may lag the table), page by page.
     *
     * @param changedBefore only servers whose {@code updated_at} is before this, or {@code null} for all
     * @param stop asked before each page: true ends the reading (the pass's time budget)
     */
    void forEachWithStatus(
            String status, Instant changedBefore, BooleanSupplier stop, Consumer<Map<String, AttributeValue>> each) {
        Map<String, String> names = Map.of("#status", STATUS, "#updated", UPDATED_AT);
        QueryRequest.Builder query =
                QueryRequest.builder().tableName(tableName).indexName(BY_STATUS).limit(PAGE_SIZE);
        if (changedBefore == null) {
            query.keyConditionExpression("#status = :status")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status)));
        } else {
            query.keyConditionExpression("#status = :status AND #updated < :before")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(
                            ":status",
                            AttributeValue.fromS(status),
                            ":before",
                            AttributeValue.fromS(changedBefore.toString())));
        }
        Map<String, AttributeValue> start = null;
        do {
            if (stop.getAsBoolean()) {
                return;
            }
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            calls.add("dynamodb:Query");
            QueryResponse page = dynamo.query(query.build());
            page.items().forEach(each);
            start = page.lastEvaluatedKey();
        } while (start != null && !start.isEmpty());
    }

    /** The item as it is now (a consistent read), if it exists. */
    Optional<Map<String, AttributeValue>> get(String owner, String gameServerId) {
        calls.add("dynamodb:GetItem");
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(tableName)
                        .consistentRead(true)
                        .key(Map.of(
                                OWNER, AttributeValue.fromS(owner), GAMESERVER_ID, AttributeValue.fromS(gameServerId))))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * Records why the reconciler repairs a server, on condition that its status, generation and last change are
     * still those it judged; {@code updated_at} moves too, so a server is judged stuck again only after another full wait.
     *
     * @return false when the item changed meanwhile (then nothing is to be repaired)
     */
    boolean recordRepair(
            String owner,
            String gameServerId,
            String status,
            String generation,
            String updatedAt,
            String reason,
            Instant now) {
        calls.add("dynamodb:UpdateItem");
        try {
            dynamo.updateItem(r -> r.tableName(tableName)
                    .key(Map.of(OWNER, AttributeValue.fromS(owner), GAMESERVER_ID, AttributeValue.fromS(gameServerId)))
                    .updateExpression("SET #reason = :reason, #at = :now, #updated = :now")
                    .conditionExpression("#status = :status AND #generation = :generation AND #updated = :judged")
                    .expressionAttributeNames(Map.of(
                            "#reason",
                            RECONCILE_REASON,
                            "#at",
                            RECONCILED_AT,
                            "#updated",
                            UPDATED_AT,
                            "#status",
                            STATUS,
                            "#generation",
                            GENERATION))
                    .expressionAttributeValues(Map.of(
                            ":reason",
                            AttributeValue.fromS(reason),
                            ":now",
                            AttributeValue.fromS(now.toString()),
                            ":status",
                            AttributeValue.fromS(status),
                            ":generation",
                            AttributeValue.fromN(generation),
                            ":judged",
                            AttributeValue.fromS(updatedAt)))
                    // named although it is the default: the reconciler's role may only write with NONE
                    .returnValues(ReturnValue.NONE));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }
}
