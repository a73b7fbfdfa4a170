package dev.stackfleet.cdk;

import dev.stackfleet.core.ReleaseAttributes;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The releases table of docs/contracts.md ({@link ReleaseAttributes}): the published template releases, the pointer
 * to the current one, each rollout's record and waves, and the fleet's rollout lock. Operators write it with
 * {@code ops release} and {@code ops rollout}; the rollout workflow writes its own rollout's record and the lock.
 */
public final class ReleasesTable extends Construct {

    private final Table table;

    public ReleasesTable(Construct scope, String id) {
        super(scope, id);
        table = ProtectedTables.keyedBy(this, ReleaseAttributes.PK)
                .sortKey(Attribute.builder()
                        .name(ReleaseAttributes.SK)
                        .type(AttributeType.STRING)
                        .build())
                .build();
    }

    public Table table() {
        return table;
    }

    /** Lets a role read the current-release pointer, and nothing else of the table: what a create needs. */
    public void grantCurrentReleaseRead(IRole role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("CurrentReleaseRead")
                .actions(List.of("dynamodb:GetItem"))
                .resources(List.of(table.getTableArn()))
                .conditions(Map.of(
                        "ForAllValues:StringEquals",
                        Map.of("dynamodb:LeadingKeys", List.of(ReleaseAttributes.CURRENT_PK))))
                .build());
    }

    /**
     * Lets the rollout workflow keep its rollout: read the record, its waves and the lock, update the record, delete
     * the lock it holds.
     */
    public void grantRolloutBookkeeping(IRole role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("RolloutBookkeeping")
                .actions(List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"))
                .resources(List.of(table.getTableArn()))
                .build());
    }
}
