package dev.stackfleet.core;

import java.util.Map;

/**
 * The UpdateItem that registers a workload account in the pool from the settings, or changes its capacity or state:
 * it never touches the servers the account holds or its quarantine. Local mode makes it with the SDK, the CDK app's
 * deployment through CloudFormation, so the values are in DynamoDB's JSON form and this class needs no SDK.
 *
 * @param key the account's key
 * @param updateExpression what is set
 * @param names the expression's attribute names
 * @param values the expression's values, e.g. {@code {":capacity": {"N": "2000"}}}
 */
public record PoolRegistration(
        Map<String, Map<String, String>> key,
        String updateExpression,
        Map<String, String> names,
        Map<String, Map<String, String>> values) {

    /** The registration of an account with these settings. */
    public static PoolRegistration of(String accountId, String region, long capacity, PoolAccount.State state) {
        return new PoolRegistration(
                Map.of(AccountPoolAttributes.ACCOUNT_ID, Map.of("S", accountId)),
                "SET #region = :region, #capacity = :capacity, #state = :state, #used = if_not_exists(#used, :zero)",
                Map.of(
                        "#region", AccountPoolAttributes.REGION,
                        "#capacity", AccountPoolAttributes.CAPACITY,
                        "#state", AccountPoolAttributes.STATE,
                        "#used", AccountPoolAttributes.USED),
                Map.of(
                        ":region", Map.of("S", region),
                        ":capacity", Map.of("N", Long.toString(capacity)),
                        ":state", Map.of("S", state.value()),
                        ":zero", Map.of("N", "0")));
    }
}
