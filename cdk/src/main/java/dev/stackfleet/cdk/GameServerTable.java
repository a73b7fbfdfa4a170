package dev.stackfleet.cdk;

import dev.stackfleet.core.ItemAttributes;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
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
    table = Table.Builder.create(this, "Table")
        .partitionKey(Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
        .sortKey(Attribute.builder().name(SORT_KEY).type(AttributeType.STRING).build())
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .stream(StreamViewType.NEW_AND_OLD_IMAGES)
        .pointInTimeRecoverySpecification(
            PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
        .encryption(TableEncryption.AWS_MANAGED)
        .deletionProtection(true)
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();
    // Ops: "which servers are failing, newest first".
    table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
        .indexName(STATUS_INDEX)
        .partitionKey(Attribute.builder().name("status").type(AttributeType.STRING).build())
        .sortKey(Attribute.builder().name("updated_at").type(AttributeType.STRING).build())
        .projectionType(ProjectionType.ALL)
        .build());
  }

  public Table table() {
    return table;
  }
}
