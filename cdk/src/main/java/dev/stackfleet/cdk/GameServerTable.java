package dev.stackfleet.cdk;

import dev.stackfleet.core.ItemAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The {@code gameservers} table of docs/contracts.md: one item per game server, desired and observed
 * state, and the stream that turns every change into a workflow execution.
 *
 * <p>Encryption uses the AWS managed key ({@code aws/dynamodb}) rather than a customer managed one.
 * The items hold owners' subjects and display names, game settings and account ids, nothing secret; who may read them
 * is decided by IAM, and a customer managed key would add a key policy to keep in step with every
 * reader (API, stream, workflows) without narrowing that set. The AWS managed key still records every
 * use in CloudTrail. Switch to {@code CUSTOMER_MANAGED} if items ever carry tenant secrets.
 */
public final class GameServerTable extends Construct {

    public static final String PARTITION_KEY = ItemAttributes.OWNER;
    public static final String SORT_KEY = "gameserver_id";
    public static final String STATUS_INDEX = "by-status";

    private final Table table;

    public GameServerTable(Construct scope, String id) {
        super(scope, id);
        table = ProtectedTables.keyedBy(this, PARTITION_KEY)
                .sortKey(Attribute.builder()
                        .name(SORT_KEY)
                        .type(AttributeType.STRING)
                        .build())
                .stream(StreamViewType.NEW_AND_OLD_IMAGES)
                .build();
        // Ops: "which servers are failing, newest first".
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(STATUS_INDEX)
                .partitionKey(Attribute.builder()
                        .name("status")
                        .type(AttributeType.STRING)
                        .build())
                .sortKey(Attribute.builder()
                        .name("updated_at")
                        .type(AttributeType.STRING)
                        .build())
                .projectionType(ProjectionType.ALL)
                .build());
    }

    /** {@code dynamodb:Query} on the {@code by-status} index alone: neither the table nor another index. */
    public void grantQueryByStatus(IGrantable grantee) {
        grantee.getGrantPrincipal()
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .sid("QueryByStatus")
                        .actions(List.of("dynamodb:Query"))
                        .resources(List.of(table.getTableArn() + "/index/" + STATUS_INDEX))
                        .build());
    }

    /** {@code dynamodb:GetItem} on the table's items. */
    public void grantGetItem(IGrantable grantee) {
        grantee.getGrantPrincipal()
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .sid("GetItem")
                        .actions(List.of("dynamodb:GetItem"))
                        .resources(List.of(table.getTableArn()))
                        .build());
    }

    /**
     * {@code dynamodb:UpdateItem} that may name only {@code attributes}: DynamoDB checks every top-level
     * attribute a request sets, removes or reads in its condition against {@code dynamodb:Attributes}, and
     * needs the key attributes listed as well, so they are added here. {@code ReturnValues} must be
     * {@code NONE} (the default): an update that may touch a few attributes returns nothing of the item.
     *
     * @param attributes what the grantee's updates set and what their conditions read
     */
    public void grantUpdateOf(IGrantable grantee, String sid, List<String> attributes) {
        List<String> allowed = new ArrayList<>(List.of(PARTITION_KEY, SORT_KEY));
        attributes.stream().filter(attribute -> !allowed.contains(attribute)).forEach(allowed::add);
        grantee.getGrantPrincipal()
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .sid(sid)
                        .actions(List.of("dynamodb:UpdateItem"))
                        .resources(List.of(table.getTableArn()))
                        .conditions(Map.of(
                                "ForAllValues:StringEquals", Map.of("dynamodb:Attributes", allowed),
                                "StringEquals", Map.of("dynamodb:ReturnValues", "NONE")))
                        .build());
    }

    public Table table() {
        return table;
    }
}
