package dev.stackfleet.core;

import static dev.stackfleet.core.GameServerItem.n;
import static dev.stackfleet.core.GameServerItem.s;
import static dev.stackfleet.core.ItemAttributes.CONFIG;
import static dev.stackfleet.core.ItemAttributes.DELETE_REQUESTED;
import static dev.stackfleet.core.ItemAttributes.GAMESERVER_ID;
import static dev.stackfleet.core.ItemAttributes.GENERATION;
import static dev.stackfleet.core.ItemAttributes.OWNER;
import static dev.stackfleet.core.ItemAttributes.RELEASE;
import static dev.stackfleet.core.ItemAttributes.STATUS;
import static dev.stackfleet.core.ItemAttributes.STATUS_REASON;
import static dev.stackfleet.core.ItemAttributes.UPDATED_AT;
import static dev.stackfleet.core.QuotaAttributes.SERVERS;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@link GameServerStore} on the DynamoDB tables: the game servers (partition key {@code owner}, sort key
 * {@code gameserver_id}), the owners' quotas ({@link QuotaAttributes}) and the account pool
 * ({@link AccountPoolAttributes}). A create writes all three in one transaction; a delete request marks the server,
 * then frees its quota slot (its account slot is freed once its stack is gone, by the deprovision workflow).
 */
public final class DynamoDbGameServerStore implements GameServerStore {

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final String quotaTableName;
    private final String accountPoolTableName;
    private final AccountPoolTable accountPool;
    private final ReleaseTable releases;
    private final Transactions transactions;

    public DynamoDbGameServerStore(
            DynamoDbClient dynamoDb,
            String tableName,
            String quotaTableName,
            String accountPoolTableName,
            String releasesTableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.quotaTableName = quotaTableName;
        this.accountPoolTableName = accountPoolTableName;
        this.accountPool = new AccountPoolTable(dynamoDb, accountPoolTableName);
        this.releases = new ReleaseTable(dynamoDb, releasesTableName);
        this.transactions = new Transactions(dynamoDb);
    }

    @Override
    public CreateOutcome create(GameServer server, int maxServersPerOwner) {
        // A full quota is answered from one consistent read instead of a cancelled transaction (which costs its
        // writes, and which the emulator undoes by putting back a copy of the tables). The transaction's own
        // condition is what makes the quota exact when creates race past this read. A full quota that holds this
        // very id is a repeat of a create whose answer was lost: its id is taken, as the transaction would answer.
        Set<String> held = heldSlots(server.owner());
        if (held.size() >= maxServersPerOwner) {
            return held.contains(server.gameServerId()) ? CreateOutcome.ID_TAKEN : CreateOutcome.QUOTA_EXCEEDED;
        }
        TransactWriteItem putServer = TransactWriteItem.builder()
                .put(p -> p.tableName(tableName)
                        .item(GameServerItem.toItem(server))
                        .conditionExpression("attribute_not_exists(" + GAMESERVER_ID + ")"))
                .build();
        TransactWriteItem takeSlot = TransactWriteItem.builder()
                .update(u -> u.tableName(quotaTableName)
                        .key(quotaKey(server.owner()))
                        .updateExpression("ADD #servers :id")
                        .conditionExpression("attribute_not_exists(#servers) OR size(#servers) < :limit")
                        .expressionAttributeNames(Map.of("#servers", SERVERS))
                        .expressionAttributeValues(Map.of(
                                ":id", AttributeValue.fromSs(List.of(server.gameServerId())),
                                ":limit", n(maxServersPerOwner))))
                .build();
        TransactWriteItem takeAccountSlot = TransactWriteItem.builder()
                .update(u -> u.tableName(accountPoolTableName)
                        .key(Map.of(
                                AccountPoolAttributes.ACCOUNT_ID,
                                s(server.placement().accountId())))
                        .updateExpression("ADD #servers :id, #used :one")
                        .conditionExpression(
                                "#state = :open AND attribute_not_exists(#quarantine) AND #used < #capacity")
                        .expressionAttributeNames(Map.of(
                                "#servers", AccountPoolAttributes.SERVERS,
                                "#used", AccountPoolAttributes.USED,
                                "#state", AccountPoolAttributes.STATE,
                                "#quarantine", AccountPoolAttributes.QUARANTINE_REASON,
                                "#capacity", AccountPoolAttributes.CAPACITY))
                        .expressionAttributeValues(Map.of(
                                ":id", AttributeValue.fromSs(List.of(server.gameServerId())),
                                ":one", n(1),
                                ":open", s(PoolAccount.State.OPEN.value()))))
                .build();
        // The server's condition first: a retry of a create that was written fails them all (id taken, quota full).
        return transactions
                .write(server.gameServerId(), putServer, takeSlot, takeAccountSlot)
                .map(rejected -> rejected.conditionFailed(0)
                        ? CreateOutcome.ID_TAKEN
                        : rejected.conditionFailed(1)
                                ? CreateOutcome.QUOTA_EXCEEDED
                                : CreateOutcome.ACCOUNT_UNAVAILABLE)
                .orElse(CreateOutcome.CREATED);
    }

    @Override
    public Optional<String> currentRelease() {
        return releases.current().map(ReleaseTable.Current::version);
    }

    @Override
    public List<PoolAccount> accountPool() {
        return accountPool.accounts();
    }

    @Override
    public Optional<GameServer> get(String owner, String gameServerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName)
                        .key(GameServerItem.key(owner, gameServerId))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(GameServerItem.fromItem(item));
    }

    @Override
    public Page list(String owner, int limit, String nextToken) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression(OWNER + " = :u")
                .expressionAttributeValues(Map.of(":u", s(owner)))
                .limit(limit);
        if (nextToken != null) {
            query.exclusiveStartKey(GameServerItem.key(owner, PageTokens.lastId(nextToken)));
        }
        QueryResponse response = dynamoDb.query(query.build());
        Map<String, AttributeValue> last = response.lastEvaluatedKey();
        return new Page(
                response.items().stream().map(GameServerItem::fromItem).toList(),
                last == null || last.isEmpty()
                        ? null
                        : PageTokens.after(last.get(GAMESERVER_ID).s()));
    }

    @Override
    public boolean updateConfig(GameServer updated, long expectedGeneration) {
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName)
                    .key(GameServerItem.key(updated.owner(), updated.gameServerId()))
                    .updateExpression("SET #config = :config, #generation = :generation, #status = :status, "
                            + "#release = :release, #updated = :updated REMOVE #reason")
                    .conditionExpression("#generation = :expected AND attribute_not_exists(#deleteRequested)")
                    .expressionAttributeNames(Map.of(
                            "#config",
                            CONFIG,
                            "#generation",
                            GENERATION,
                            "#status",
                            STATUS,
                            "#updated",
                            UPDATED_AT,
                            "#reason",
                            STATUS_REASON,
                            "#deleteRequested",
                            DELETE_REQUESTED,
                            "#release",
                            RELEASE))
                    .expressionAttributeValues(Map.of(
                            ":config", GameServerItem.config(updated.config()),
                            ":generation", n(updated.generation()),
                            ":status", s(updated.status().name()),
                            ":release", s(updated.release()),
                            ":updated", s(updated.updatedAt().toString()),
                            ":expected", n(expectedGeneration))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<GameServer> requestDelete(String owner, String gameServerId, Instant now) {
        Map<String, AttributeValue> written;
        try {
            written = dynamoDb.updateItem(r -> r.tableName(tableName)
                            .key(GameServerItem.key(owner, gameServerId))
                            .updateExpression("SET #deleteRequested = :true, #status = :status, #updated = :updated "
                                    + "REMOVE #reason")
                            .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#deleteRequested)")
                            .expressionAttributeNames(Map.of(
                                    "#deleteRequested",
                                    DELETE_REQUESTED,
                                    "#status",
                                    STATUS,
                                    "#updated",
                                    UPDATED_AT,
                                    "#reason",
                                    STATUS_REASON,
                                    "#id",
                                    GAMESERVER_ID))
                            .expressionAttributeValues(Map.of(
                                    ":true", AttributeValue.fromBool(true),
                                    ":status", s(Status.DELETE_PENDING.name()),
                                    ":updated", s(now.toString())))
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes();
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        releaseSlot(owner, gameServerId);
        return Optional.of(GameServerItem.fromItem(written));
    }

    /**
     * Frees a server's quota slot. Idempotent; if it fails here, the deprovision workflow frees it when it removes
     * the item, so a slot is at worst held a little longer, never given twice.
     */
    private void releaseSlot(String owner, String gameServerId) {
        dynamoDb.updateItem(r -> r.tableName(quotaTableName)
                .key(quotaKey(owner))
                .updateExpression("DELETE #servers :id")
                .expressionAttributeNames(Map.of("#servers", SERVERS))
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(gameServerId)))));
    }

    private Set<String> heldSlots(String owner) {
        AttributeValue servers = dynamoDb.getItem(
                        r -> r.tableName(quotaTableName).key(quotaKey(owner)).consistentRead(true))
                .item()
                .get(SERVERS);
        return servers == null ? Set.of() : Set.copyOf(servers.ss());
    }

    private static Map<String, AttributeValue> quotaKey(String owner) {
        return Map.of(QuotaAttributes.OWNER, s(owner));
    }
}
