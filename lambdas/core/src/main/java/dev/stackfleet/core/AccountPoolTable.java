package dev.stackfleet.core;

import static dev.stackfleet.core.GameServerItem.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The account pool table ({@link AccountPoolAttributes}): its reads and the writes made outside a create and a
 * deprovision, namely an account's registration ({@link PoolRegistration}) and an operator's quarantine.
 */
public final class AccountPoolTable {

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public AccountPoolTable(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** Registers an account or changes its settings (local mode; on AWS the deployment does it). */
    public void register(String accountId, String region, long capacity, PoolAccount.State state) {
        PoolRegistration r = PoolRegistration.of(accountId, region, capacity, state);
        dynamoDb.updateItem(u -> u.tableName(tableName)
                .key(attributeValues(r.key()))
                .updateExpression(r.updateExpression())
                .expressionAttributeNames(r.names())
                .expressionAttributeValues(attributeValues(r.values())));
    }

    private static Map<String, AttributeValue> attributeValues(Map<String, Map<String, String>> json) {
        Map<String, AttributeValue> values = new HashMap<>();
        json.forEach((name, value) -> values.put(
                name,
                value.containsKey("S") ? AttributeValue.fromS(value.get("S")) : AttributeValue.fromN(value.get("N"))));
        return values;
    }

    /**
     * The quarantined accounts and each one's reason, by account id: what the reconciler and the fleet operations
     * leave alone.
     */
    public SortedMap<String, String> quarantines() {
        SortedMap<String, String> quarantines = new TreeMap<>();
        accounts().stream()
                .filter(PoolAccount::quarantined)
                .forEach(account -> quarantines.put(account.accountId(), account.quarantineReason()));
        return quarantines;
    }

    /** Every account of the pool (a consistent read that leaves out the server ids). */
    public List<PoolAccount> accounts() {
        List<PoolAccount> pool = new ArrayList<>();
        dynamoDb.scanPaginator(r -> r.tableName(tableName)
                        .consistentRead(true)
                        .projectionExpression("#id, #region, #capacity, #state, #used, #reason, #at")
                        .expressionAttributeNames(Map.of(
                                "#id", AccountPoolAttributes.ACCOUNT_ID,
                                "#region", AccountPoolAttributes.REGION,
                                "#capacity", AccountPoolAttributes.CAPACITY,
                                "#state", AccountPoolAttributes.STATE,
                                "#used", AccountPoolAttributes.USED,
                                "#reason", AccountPoolAttributes.QUARANTINE_REASON,
                                "#at", AccountPoolAttributes.QUARANTINED_AT)))
                .items()
                .forEach(item -> pool.add(PoolAccount.fromItem(item)));
        return pool;
    }

    /**
     * Quarantines an account of the pool: no new placements, and reconcile passes and fleet operations leave its
     * servers alone. A second quarantine replaces the reason.
     *
     * @return false when the account is not in the pool (nothing written)
     */
    public boolean quarantine(String accountId, String reason, Instant at) {
        try {
            dynamoDb.updateItem(u -> u.tableName(tableName)
                    .key(Map.of(AccountPoolAttributes.ACCOUNT_ID, s(accountId)))
                    .updateExpression("SET #reason = :reason, #at = :at")
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of(
                            "#reason", AccountPoolAttributes.QUARANTINE_REASON,
                            "#at", AccountPoolAttributes.QUARANTINED_AT,
                            "#id", AccountPoolAttributes.ACCOUNT_ID))
                    .expressionAttributeValues(Map.of(":reason", s(reason), ":at", s(at.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Ends an account's quarantine.
     *
     * @return false when the account is not in the pool (nothing written)
     */
    public boolean endQuarantine(String accountId) {
        try {
            dynamoDb.updateItem(u -> u.tableName(tableName)
                    .key(Map.of(AccountPoolAttributes.ACCOUNT_ID, s(accountId)))
                    .updateExpression("REMOVE #reason, #at")
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of(
                            "#reason", AccountPoolAttributes.QUARANTINE_REASON,
                            "#at", AccountPoolAttributes.QUARANTINED_AT,
                            "#id", AccountPoolAttributes.ACCOUNT_ID)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
