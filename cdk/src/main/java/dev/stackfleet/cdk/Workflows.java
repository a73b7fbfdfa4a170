package dev.stackfleet.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.PhysicalName;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The provision and deprovision state machines, loaded from their ASL files in {@code statemachines/}
 * with the placeholders of docs/contracts.md substituted, and the one role both run with.
 *
 * <p>The workflow role may assume {@code stackfleet-workload-access} in the allowed workload accounts
 * (every CloudFormation call runs with those credentials, through the Task {@code Credentials} field)
 * read, update and delete items of the table, update the quota table (to release a removed server's
 * slot) and put items into the stack-waits table (a task token per wait). Nothing else, apart from the log delivery and
 * X-Ray permissions that CDK adds for logging and tracing.
 */
public final class Workflows extends Construct {

    /** Name of the role in every workload account: the workflows compute its ARN from the placement. */
    public static final String WORKLOAD_ACCESS_ROLE_NAME = "stackfleet-workload-access";
    /** Name of the CloudFormation service role in every workload account (templates/workload-access.yaml). */
    public static final String CLOUDFORMATION_EXECUTION_ROLE_NAME = "stackfleet-cloudformation-execution";

    /** What the workflows work on. */
    public record Props(
            ITable table,
            QuotaTable quotaTable,
            AccountPoolTable accountPool,
            StackWaitsTable stackWaits,
            String provisionDefinition,
            String deprovisionDefinition,
            String gameServerTemplateUrlPrefix,
            List<String> workloadAccounts) {}

    private final Role role;
    private final StateMachine provision;
    private final StateMachine deprovision;
    private final Map<String, String> provisionSubstitutions;
    private final Map<String, String> deprovisionSubstitutions;

    public Workflows(Construct scope, String id, Props props) {
        super(scope, id);
        role = Role.Builder.create(this, "Role")
                // Generated, not chosen: the trust policy of each workload account's access role names this
                // role's ARN, and those stacks live in other accounts, where only a name known at synthesis
                // can be referenced.
                .roleName(PhysicalName.GENERATE_IF_NEEDED)
                .assumedBy(new ServicePrincipal("states.amazonaws.com"))
                .description("stackfleet workflows: assume the workload-access roles, write game-server status")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("AssumeWorkloadAccessRoles")
                .actions(List.of("sts:AssumeRole"))
                .resources(props.workloadAccounts().stream()
                        .map(Workflows::workloadAccessRoleArn)
                        .toList())
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("WriteGameServerStatus")
                .actions(List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"))
                .resources(List.of(props.table().getTableArn()))
                .build());
        // The deprovision workflow releases a removed server's quota slot.
        props.quotaTable().grantSlotUpdates(role);
        // ... and, once its stack is gone, its slot in its workload account.
        props.accountPool().grantSlotUpdates(role);
        // Each wait for a stack's status change event stores its task token.
        props.stackWaits().grantWaitWrites(role);

        // The placeholders of docs/contracts.md, each given to the definitions that use it.
        provisionSubstitutions = Map.of(
                "TableName", props.table().getTableName(),
                "GameServerTemplateUrlPrefix", props.gameServerTemplateUrlPrefix(),
                "CloudFormationExecutionRoleName", CLOUDFORMATION_EXECUTION_ROLE_NAME,
                "StackWaitsTableName", props.stackWaits().table().getTableName());
        deprovisionSubstitutions = Map.of(
                "TableName", props.table().getTableName(),
                "QuotaTableName", props.quotaTable().table().getTableName(),
                "AccountPoolTableName", props.accountPool().table().getTableName(),
                "CloudFormationExecutionRoleName", CLOUDFORMATION_EXECUTION_ROLE_NAME,
                "StackWaitsTableName", props.stackWaits().table().getTableName());
        provision = stateMachine("Provision", props.provisionDefinition(), provisionSubstitutions);
        deprovision = stateMachine("Deprovision", props.deprovisionDefinition(), deprovisionSubstitutions);
        suppressLogDeliveryWildcards(role);
    }

    /** cdk-nag flags the statements CDK adds to a state machine's role for logging and tracing. */
    static void suppressLogDeliveryWildcards(Role role) {
        NagSuppressions.addResourceSuppressions(
                role,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("Only the statements CDK adds for logging and tracing use Resource *: CloudWatch Logs "
                                + "delivery and X-Ray actions have no resource-level permissions")
                        .appliesTo(List.of("Resource::*"))
                        .build()),
                true);
    }

    /** The access role of one workload account; the commercial partition is the one stackfleet runs in. */
    public static String workloadAccessRoleArn(String account) {
        return "arn:aws:iam::" + account + ":role/" + WORKLOAD_ACCESS_ROLE_NAME;
    }

    private StateMachine stateMachine(String id, String definitionFile, Map<String, String> substitutions) {
        return stateMachine(this, id, definitionFile, substitutions, role);
    }

    /** A Standard state machine from its ASL file, logging every transition (without data) and traced. */
    static StateMachine stateMachine(
            Construct scope, String id, String definitionFile, Map<String, String> substitutions, Role role) {
        // ALL without execution data: every state transition is recorded (what an operator follows),
        // while inputs and outputs stay in the execution history instead of being copied into logs.
        LogGroup logs = LogGroup.Builder.create(scope, id + "Logs")
                .retention(RetentionDays.THREE_MONTHS)
                .build();
        return StateMachine.Builder.create(scope, id)
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromFile(definitionFile))
                .definitionSubstitutions(substitutions)
                .role(role)
                .logs(LogOptions.builder()
                        .destination(logs)
                        .level(LogLevel.ALL)
                        .includeExecutionData(false)
                        .build())
                .tracingEnabled(true)
                .build();
    }

    public Role role() {
        return role;
    }

    public StateMachine provision() {
        return provision;
    }

    public StateMachine deprovision() {
        return deprovision;
    }

    /** The values substituted for the placeholders of {@code provision.asl.json}. */
    public Map<String, String> provisionSubstitutions() {
        return provisionSubstitutions;
    }

    /** The values substituted for the placeholders of {@code deprovision.asl.json}. */
    public Map<String, String> deprovisionSubstitutions() {
        return deprovisionSubstitutions;
    }
}
