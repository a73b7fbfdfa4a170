package dev.stackfleet.core;

import static dev.stackfleet.core.GameServerItem.n;
import static dev.stackfleet.core.GameServerItem.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The account pool table ({@link AccountPoolAttributes}): its reads and the writes made outside a create and a
 * deprovision, namely an account's registration from the settings and an operator's quarantine.
 */
public final class AccountPoolTable {

    /**
     * The UpdateItem that registers an account from the settings, or changes its capacity or state: it never touches
     * the servers it holds or a quarantine. The CDK app's deployment runs the same request.
     */
    public record Registration(
            Map<String, AttributeValue> key,
            String updateExpression,
            Map<String, String> names,
            Map<String, AttributeValue> values) {}

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public AccountPoolTable(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** The registration of an account with its settings. */
    public static Registration registration(String accountId, String region, long capacity, PoolAccount.State state) {
        return new Registration(
                Map.of(AccountPoolAttributes.ACCOUNT_ID, s(accountId)),
                "SET #region = :region, #capacity = :capacity, #state = :state, #used = if_not_exists(#used, :zero)",
                Map.of(
                        "#region", AccountPoolAttributes.REGION,
                        "#capacity", AccountPoolAttributes.CAPACITY,
                        "#state", AccountPoolAttributes.STATE,
                        "#used", AccountPoolAttributes.USED),
                Map.of(
                        ":region", s(region),
                        ":capacity", n(capacity),
                        ":state", s(state.value()),
                        ":zero", n(0)));
    }

    /** Registers an account or changes its settings (local mode; on AWS the deployment does it). */
    public void register(String accountId, String region, long capacity, PoolAccount.State state) {
        Registration r = registration(accountId, region, capacity, state);
        dynamoDb.updateItem(u -> u.tableName(tableName)
                .key(r.key())
                .updateExpression(r.updateExpression())
                .expressionAttributeNames(r.names())
                .expressionAttributeValues(r.values()));
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
