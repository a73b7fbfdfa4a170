package dev.stackfleet.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The level-triggered safety net (invariant 10 of the design): the reconciler Lambda
 * ({@code dev.stackfleet.reconciler.ReconcileHandler}) on an EventBridge schedule, one pass at a time.
 *
 * <p>It may do exactly what a pass does (FleetTable, WorkflowRuns and StackInventory of
 * {@code lambdas/reconciler}): query the {@code by-status} index, read items, write why it repaired one
 * (and nothing else of the item), start the two workflows and describe their executions, and assume the
 * read-only {@code stackfleet-workload-observer} role of each workload account to list its stacks. It
 * never calls CloudFormation with its own credentials: orphans are deleted by the deprovision workflow.
 *
 * <p>Its role gets a generated name because each workload account's observer role trusts it by ARN
 * ({@code ControlPlaneReconcilerRoleArn} of the access stack).
 */
public final class ScheduledReconciler extends Construct {

    /** The read-only role of {@code templates/workload-access.yaml} that a pass lists stacks through. */
    public static final String WORKLOAD_OBSERVER_ROLE_NAME = "stackfleet-workload-observer";
    /** {@code ReconcileHandler.METRIC_NAMESPACE}: where a pass reports its counts (embedded metric format). */
    public static final String METRIC_NAMESPACE = "stackfleet";
    /** When a pass stops starting new work; the function's timeout leaves a minute for what is under way. */
    static final int TIME_BUDGET_SECONDS = 240;
    /** Most executions one pass starts: a mass repair goes on in the next passes, at this pace. */
    static final int MAX_REPAIRS = 100;
    /**
     * What {@code FleetTable.recordRepair} names: the attributes it sets, and those its condition reads
     * (the server's status and generation must still be those the pass judged).
     */
    static final List<String> REPAIR_ATTRIBUTES =
            List.of("reconcile_reason", "reconciled_at", "updated_at", "status", "generation");

    /**
     * What the reconciler needs.
     *
     * @param workloadAccounts accounts whose stacks a pass lists, through their observer role
     * @param workloadRegion region whose stacks a pass lists (where placement puts new servers)
     * @param pollInitialSeconds the stream Lambda's value: a start here must have the stream's input, byte for byte
     * @param pollMaxSeconds the stream Lambda's value, likewise
     */
    public record Props(
            GameServerTable table,
            AccountPoolTable accountPool,
            String jarPath,
            IStateMachine provision,
            IStateMachine deprovision,
            List<String> workloadAccounts,
            String workloadRegion,
            int pollInitialSeconds,
            int pollMaxSeconds,
            Config.Reconcile settings) {}

    private final JavaFunction handler;
    private final Rule schedule;
    private final Duration interval;

    public ScheduledReconciler(Construct scope, String id, Props props) {
        super(scope, id);
        Config.Reconcile settings = props.settings();
        interval = Duration.minutes(settings.intervalMinutes());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TABLE_NAME", props.table().table().getTableName());
        environment.put("PROVISION_STATE_MACHINE_ARN", props.provision().getStateMachineArn());
        environment.put("DEPROVISION_STATE_MACHINE_ARN", props.deprovision().getStateMachineArn());
        environment.put("WORKLOAD_REGION", props.workloadRegion());
        environment.put("WORKLOAD_ACCOUNTS", String.join(",", props.workloadAccounts()));
        environment.put("ACCOUNT_POOL_TABLE_NAME", props.accountPool().table().getTableName());
        environment.put("POLL_INITIAL_SECONDS", Integer.toString(props.pollInitialSeconds()));
        environment.put("POLL_MAX_SECONDS", Integer.toString(props.pollMaxSeconds()));
        environment.put("STUCK_AFTER_SECONDS", Integer.toString(settings.stuckAfterSeconds()));
        environment.put("ORPHAN_GRACE_SECONDS", Integer.toString(settings.orphanGraceSeconds()));
        // Unset: the handler only reports orphans.
        settings.deleteOrphansAfterSeconds()
                .ifPresent(seconds -> environment.put("DELETE_ORPHANS_AFTER_SECONDS", Integer.toString(seconds)));
        environment.put("MAX_REPAIRS", Integer.toString(MAX_REPAIRS));
        environment.put("TIME_BUDGET_SECONDS", Integer.toString(TIME_BUDGET_SECONDS));
        environment.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        handler = new JavaFunction(
                this,
                "Handler",
                new JavaFunction.Props(
                        "stackfleet reconciler: restart lost intents, re-converge drifted stacks, report orphans",
                        props.jarPath(),
                        "dev.stackfleet.reconciler.ReconcileHandler::handleRequest",
                        1024,
                        Duration.seconds(TIME_BUDGET_SECONDS + 60),
                        environment,
                        true,
                        // One pass at a time: a pass that outlasts the interval delays the next instead of overlapping
                        // it.
                        1,
                        true));
        // A scheduled event that waits (behind a pass still running) is dropped after a minute rather than
        // queued: the next one comes at the next interval. A failed pass is not retried either; the next
        // scheduled pass starts over.
        // The schedule invokes the live alias (SnapStart applies to published versions only), so the alias is what
        // the invoke settings are for.
        handler.target()
                .configureAsyncInvoke(EventInvokeConfigOptions.builder()
                        .maxEventAge(Duration.minutes(1))
                        .retryAttempts(0)
                        .build());
        schedule = Rule.Builder.create(this, "Schedule")
                .description("stackfleet reconcile pass every " + settings.intervalMinutes() + " minute(s)")
                .schedule(Schedule.rate(interval))
                .targets(List.of(new LambdaFunction(handler.target())))
                .build();

        // Least privilege, call by call.
        // FleetTable: servers by status (the index, never a Scan), one item by key, and the repair's reason.
        props.table().grantQueryByStatus(handler.role());
        props.table().grantGetItem(handler.role());
        props.table().grantUpdateOf(handler.role(), "RecordRepair", REPAIR_ATTRIBUTES);
        // Which accounts are quarantined: a pass leaves their servers and stacks alone.
        props.accountPool().grantPoolReads(handler.role());
        // WorkflowRuns: start an intent's execution, and find its newest one by name.
        props.provision().grantStartExecution(handler.role());
        props.deprovision().grantStartExecution(handler.role());
        props.provision().grantExecution(handler.role(), "states:DescribeExecution");
        props.deprovision().grantExecution(handler.role(), "states:DescribeExecution");
        // StackInventory: the observer role of exactly the listed workload accounts.
        handler.role()
                .addToPolicy(PolicyStatement.Builder.create()
                        .sid("AssumeWorkloadObserverRoles")
                        .actions(List.of("sts:AssumeRole"))
                        .resources(props.workloadAccounts().stream()
                                .map(ScheduledReconciler::workloadObserverRoleArn)
                                .toList())
                        .build());
        NagSuppressions.addResourceSuppressions(
                handler.role(),
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason(
                                "states:DescribeExecution is granted on the executions of the two workflows only "
                                        + "(execution:<state machine name>:*): execution names are per intent, unknown in advance")
                        .appliesTo(
                                List.of(executionsFinding(props.provision()), executionsFinding(props.deprovision())))
                        .build()),
                true);
    }

    /** The observer role of one workload account (commercial partition, as {@link Workflows#workloadAccessRoleArn}). */
    public static String workloadObserverRoleArn(String account) {
        return "arn:aws:iam::" + account + ":role/" + WORKLOAD_OBSERVER_ROLE_NAME;
    }

    /**
     * The cdk-nag finding of one state machine's executions, {@code execution:<name>:*}, where the name is
     * taken from the machine's ARN ({@code Fn::Select} of its {@code Ref}).
     */
    private static RegexAppliesTo executionsFinding(IStateMachine stateMachine) {
        String logicalId = Stack.of(stateMachine)
                .resolve(((CfnElement) stateMachine.getNode().getDefaultChild()).getLogicalId())
                .toString();
        return RegexAppliesTo.builder()
                .regex("/^Resource::arn:[^:]+:states:[^:]+:[0-9]{12}:execution:\\{\"Fn::Select\":\\[6,\\{\"Fn::Split\":"
                        + "\\[\":\",\\{\"Ref\":\"" + logicalId + "\"\\}\\]\\}\\]\\}:\\*$/")
                .build();
    }

    public JavaFunction handler() {
        return handler;
    }

    public Rule schedule() {
        return schedule;
    }

    /** Stacks of the fleet without an item, as the last pass of each interval counted them. */
    public Metric metricOrphanStacks() {
        return passMetric("OrphanStacks");
    }

    /** Pending or in-progress servers without a running execution, as the last pass of each interval counted them. */
    public Metric metricStuckServers() {
        return passMetric("StuckServers");
    }

    /** Problems a pass could not check or fix (an account whose stacks it cannot list, a malformed item). */
    public Metric metricUnresolved() {
        return passMetric("Unresolved");
    }

    private Metric passMetric(String name) {
        // One pass per interval, each reporting a count: the maximum over the interval is the latest count.
        return Metric.Builder.create()
                .namespace(METRIC_NAMESPACE)
                .metricName(name)
                .statistic("Maximum")
                .period(interval)
                .build();
    }
}
