package dev.stackfleet.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * The rollout state machine ({@code statemachines/rollout.asl.json}), which {@code ./stackfleet ops rollout start}
 * starts, and its role. The role may write a server's upgrade and read its status (the game-server table's
 * {@code UpdateItem} and {@code GetItem}, conditional in the definition), keep its own rollout's record and the fleet's
 * lock in the releases table, and read alarm states. It never touches a stack: the provision workflow does.
 */
public final class RolloutWorkflow extends Construct {

    /** What the rollout works on. */
    public record Props(ITable table, ReleasesTable releases, String definition) {}

    private final Role role;
    private final StateMachine stateMachine;
    private final Map<String, String> substitutions;

    public RolloutWorkflow(Construct scope, String id, Props props) {
        super(scope, id);
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("states.amazonaws.com"))
                .description("stackfleet rollout: write servers' upgrades, keep the rollout's record, read alarms")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("UpgradeGameServers")
                .actions(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"))
                .resources(List.of(props.table().getTableArn()))
                .build());
        props.releases().grantRolloutBookkeeping(role);
        // DescribeAlarms has no resource-level permissions: it is allowed on * or not at all.
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadAlarmStates")
                .actions(List.of("cloudwatch:DescribeAlarms"))
                .resources(List.of("*"))
                .build());
        NagSuppressions.addResourceSuppressions(
                role,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason(
                                "cloudwatch:DescribeAlarms has no resource-level permissions (the health gate reads the "
                                        + "operator's named alarm); the other * statements are CDK's for logging and tracing")
                        .appliesTo(List.of("Resource::*"))
                        .build()),
                true);
        substitutions = Map.of(
                "TableName", props.table().getTableName(),
                "ReleasesTableName", props.releases().table().getTableName());
        stateMachine = Workflows.stateMachine(this, "Rollout", props.definition(), substitutions, role);
    }

    public Role role() {
        return role;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }

    /** The values substituted for the placeholders of {@code rollout.asl.json}. */
    public Map<String, String> substitutions() {
        return substitutions;
    }
}
