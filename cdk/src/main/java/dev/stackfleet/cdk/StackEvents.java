package dev.stackfleet.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * Event-driven stack completion: the control plane's event bus, which only the listed workload accounts may put
 * events on (their access stacks forward CloudFormation's stack status changes of stackfleet's stacks), a rule
 * that starts the stack-event callback for each settled status, and the callback itself, an Express state
 * machine that looks the stack's waiting workflow up in the {@link StackWaitsTable} and releases it. See
 * docs/workflows.md.
 */
public final class StackEvents extends Construct {

    /** Fixed, so that each workload account's forwarding rule can name the bus before the control plane exists. */
    public static final String BUS_NAME = "stackfleet-stack-events";

    public static final String SOURCE = "aws.cloudformation";
    public static final String DETAIL_TYPE = "CloudFormation Stack Status Change";

    /** The statuses a workflow waits for: every status that is not *_IN_PROGRESS (and not REVIEW_IN_PROGRESS). */
    public static final List<String> SETTLED_STATUSES = List.of(
            "CREATE_COMPLETE",
            "CREATE_FAILED",
            "ROLLBACK_COMPLETE",
            "ROLLBACK_FAILED",
            "UPDATE_COMPLETE",
            "UPDATE_FAILED",
            "UPDATE_ROLLBACK_COMPLETE",
            "UPDATE_ROLLBACK_FAILED",
            "DELETE_COMPLETE",
            "DELETE_FAILED");

    /**
     * What the callback serves.
     *
     * @param waits where the workflows store their task tokens
     * @param definitionFile {@code statemachines/stack-event.asl.json}
     * @param workflows the state machines whose tasks the callback may complete
     * @param workloadAccounts the only accounts that may put events on the bus
     */
    public record Props(
            StackWaitsTable waits,
            String definitionFile,
            List<IStateMachine> workflows,
            List<String> workloadAccounts) {}

    private final EventBus bus;
    private final StateMachine callback;
    private final Role callbackRole;

    public StackEvents(Construct scope, String id, Props props) {
        super(scope, id);
        bus = EventBus.Builder.create(this, "Bus").eventBusName(BUS_NAME).build();
        bus.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("WorkloadAccountsForwardStackEvents")
                .principals(props.workloadAccounts().stream()
                        .<IPrincipal>map(AccountPrincipal::new)
                        .toList())
                .actions(List.of("events:PutEvents"))
                .resources(List.of(bus.getEventBusArn()))
                .build());

        callbackRole = Role.Builder.create(this, "CallbackRole")
                .assumedBy(new ServicePrincipal("states.amazonaws.com"))
                .description(
                        "stackfleet stack-event callback: read a stack's waiting task token, complete that task, forget the token")
                .build();
        callbackRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadAndForgetStackWaits")
                .actions(List.of("dynamodb:DeleteItem", "dynamodb:GetItem"))
                .resources(List.of(props.waits().table().getTableArn()))
                .build());
        callbackRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("CompleteWorkflowTasks")
                .actions(List.of("states:SendTaskSuccess", "states:SendTaskFailure"))
                .resources(props.workflows().stream()
                        .map(IStateMachine::getStateMachineArn)
                        .toList())
                .build());
        LogGroup logs = LogGroup.Builder.create(this, "CallbackLogs")
                .retention(RetentionDays.THREE_MONTHS)
                .build();
        callback = StateMachine.Builder.create(this, "Callback")
                .stateMachineType(StateMachineType.EXPRESS)
                .definitionBody(DefinitionBody.fromFile(props.definitionFile()))
                .definitionSubstitutions(
                        Map.of("StackWaitsTableName", props.waits().table().getTableName()))
                .role(callbackRole)
                // Express executions keep no history: the log is where an operator sees a failed release. Without
                // execution data, as the workflows: a state's input would carry the task token.
                .logs(LogOptions.builder()
                        .destination(logs)
                        .level(LogLevel.ALL)
                        .includeExecutionData(false)
                        .build())
                .tracingEnabled(true)
                .build();

        Rule.Builder.create(this, "SettledStacks")
                .description("A workload account's stackfleet stack settled: release the workflow waiting on it")
                .eventBus(bus)
                .eventPattern(settledStackEvents())
                .targets(List.of(SfnStateMachine.Builder.create(callback).build()))
                .build();
        Workflows.suppressLogDeliveryWildcards(callbackRole);
    }

    /** CloudFormation's settled stack status changes; the workload accounts forward only stackfleet's stacks. */
    public static EventPattern settledStackEvents() {
        return EventPattern.builder()
                .source(List.of(SOURCE))
                .detailType(List.of(DETAIL_TYPE))
                .detail(Map.of("status-details", Map.of("status", SETTLED_STATUSES)))
                .build();
    }

    /** The bus of a control plane in {@code account} and {@code region}, as other accounts' stacks name it. */
    public static String busArn(String account, String region) {
        return "arn:aws:events:" + region + ":" + account + ":event-bus/" + BUS_NAME;
    }

    public EventBus bus() {
        return bus;
    }

    public StateMachine callback() {
        return callback;
    }

    public Role callbackRole() {
        return callbackRole;
    }
}
