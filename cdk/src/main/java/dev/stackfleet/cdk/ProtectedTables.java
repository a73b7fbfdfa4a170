package dev.stackfleet.cdk;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The tables whose items are stackfleet's record of the fleet (servers, quotas, the account pool): on demand,
 * encrypted, with point-in-time recovery and deletion protection, and kept when the stack goes.
 */
final class ProtectedTables {

    private ProtectedTables() {}

    /** A protected table {@code Table} under {@code scope}, keyed by the string attribute {@code partitionKey}. */
    static Table.Builder keyedBy(Construct scope, String partitionKey) {
        return Table.Builder.create(scope, "Table")
                .partitionKey(Attribute.builder()
                        .name(partitionKey)
                        .type(AttributeType.STRING)
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN);
    }
}
