package dev.stackfleet.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The task tokens of workflows waiting for a stack's status change event, one item per stack name (written by
 * the workflows' {@code AwaitStackEvent}, read by the stack-event callback). A stack's name is derived from
 * its server's globally unique id, so the name alone is the key; the last workflow to wait on a stack
 * overwrites the one before (that one's timeout is its fallback).
 */
public final class StackWaitsTable extends Construct {

    public static final String KEY = "stack_name";

    private final Table table;

    public StackWaitsTable(Construct scope, String id) {
        super(scope, id);
        table = Table.Builder.create(this, "Table")
                .partitionKey(
                        Attribute.builder().name(KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                // Only tokens of running executions, each useless once its wait ends: nothing to keep or restore.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        NagSuppressions.addResourceSuppressions(
                table,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-DDB3")
                        .reason("Holds only the task tokens of running executions; a restored token is of no use, "
                                + "and a lost one costs a wait its fallback timeout")
                        .build()));
    }

    public Table table() {
        return table;
    }

    /** Lets the workflows store a wait: {@code PutItem} on this table, nothing else. */
    public void grantWaitWrites(IRole role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("StoreStackWaits")
                .actions(List.of("dynamodb:PutItem"))
                .resources(List.of(table.getTableArn()))
                .build());
    }
}
