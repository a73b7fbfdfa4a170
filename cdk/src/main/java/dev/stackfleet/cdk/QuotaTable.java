package dev.stackfleet.cdk;

import dev.stackfleet.core.QuotaAttributes;
import java.util.List;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The owners' quota records of docs/contracts.md: one item per owner holding the ids of its live servers, so
 * that the API can take a slot in the same transaction that creates a server. No stream: nothing reacts to
 * it. Protected and encrypted like the game-server table (see {@link GameServerTable} for the key choice).
 */
public final class QuotaTable extends Construct {

    private final Table table;

    public QuotaTable(Construct scope, String id) {
        super(scope, id);
        table = ProtectedTables.keyedBy(this, QuotaAttributes.OWNER).build();
    }

    /** Lets a role read how many slots an owner holds: {@code GetItem} on this table (the create's first check). */
    public void grantSlotReads(IRole role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("QuotaSlotReads")
                .actions(List.of("dynamodb:GetItem"))
                .resources(List.of(table.getTableArn()))
                .build());
    }

    public Table table() {
        return table;
    }

    /**
     * Lets a role add and remove slots: {@code UpdateItem} on this table only, the one action the create's
     * transaction, the delete's release and the deprovision workflow's release need.
     */
    public void grantSlotUpdates(IRole role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("QuotaSlots")
                .actions(List.of("dynamodb:UpdateItem"))
                .resources(List.of(table.getTableArn()))
                .build());
    }
}
