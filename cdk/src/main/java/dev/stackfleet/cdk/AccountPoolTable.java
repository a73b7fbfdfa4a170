package dev.stackfleet.cdk;

import dev.stackfleet.core.AccountPoolAttributes;
import dev.stackfleet.core.PoolAccount;
import dev.stackfleet.core.PoolRegistration;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The account pool of docs/contracts.md: one item per workload account with its capacity and state from the settings,
 * the ids of the servers placed in it, and an operator's quarantine. Each deployment registers the settings' accounts
 * (the same UpdateItem local mode makes, which never touches an account's servers or its quarantine); an account taken
 * out of the settings is set to draining, never forgotten, since its servers may still run.
 */
public final class AccountPoolTable extends Construct {

    private final Table table;

    public AccountPoolTable(Construct scope, String id, String region, List<Config.PoolEntry> accounts) {
        super(scope, id);
        table = ProtectedTables.keyedBy(this, AccountPoolAttributes.ACCOUNT_ID).build();
        for (Config.PoolEntry entry : accounts) {
            register(region, entry);
        }
    }

    private void register(String region, Config.PoolEntry entry) {
        AwsCustomResource.Builder.create(this, "Account" + entry.account())
                .resourceType("Custom::StackfleetPoolAccount")
                .installLatestAwsSdk(false)
                .onUpdate(update(
                        entry.account(), PoolRegistration.of(entry.account(), region, entry.capacity(), entry.state())))
                .onDelete(update(
                        entry.account(),
                        PoolRegistration.of(entry.account(), region, entry.capacity(), PoolAccount.State.DRAINING)))
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("dynamodb:UpdateItem"))
                        .resources(List.of(table.getTableArn()))
                        .build())))
                .build();
    }

    private AwsSdkCall update(String account, PoolRegistration registration) {
        return AwsSdkCall.builder()
                .service("DynamoDB")
                .action("updateItem")
                .parameters(Map.of(
                        "TableName", table.getTableName(),
                        "Key", registration.key(),
                        "UpdateExpression", registration.updateExpression(),
                        "ExpressionAttributeNames", registration.names(),
                        "ExpressionAttributeValues", registration.values()))
                .physicalResourceId(PhysicalResourceId.of("stackfleet-pool-account-" + account))
                .build();
    }

    public Table table() {
        return table;
    }

    /** Lets a role read the pool: {@code Scan} of this table (a handful of items, one per account). */
    public void grantPoolReads(IRole role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("AccountPoolReads")
                .actions(List.of("dynamodb:Scan"))
                .resources(List.of(table.getTableArn()))
                .build());
    }

    /** Lets a role take or free account slots: {@code UpdateItem} on this table only. */
    public void grantSlotUpdates(IRole role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("AccountSlots")
                .actions(List.of("dynamodb:UpdateItem"))
                .resources(List.of(table.getTableArn()))
                .build());
    }
}
