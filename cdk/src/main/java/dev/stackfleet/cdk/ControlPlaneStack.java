package dev.stackfleet.cdk;

import dev.stackfleet.core.EventSourceSettings;
import dev.stackfleet.core.LifecyclePipe;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The stackfleet control plane of one region: the table and the owners' quotas, the API that writes it, the stream trigger
 * that turns its changes into executions, the workflows that converge the stacks in the workload
 * accounts, the template they deploy, the lifecycle events other systems subscribe to, the scheduled reconciler
 * that catches what the stream missed, and the alarms.
 */
public final class ControlPlaneStack extends Stack {

    private final GameServerTable table;
    private final QuotaTable quotaTable;
    private final AccountPoolTable accountPool;
    private final ReleasesTable releases;
    private final GameServerTemplateStore templates;
    private final StackWaitsTable stackWaits;
    private final Workflows workflows;
    private final RolloutWorkflow rollout;
    private final StackEvents stackEvents;
    private final StreamTrigger streamTrigger;
    private final LifecycleEvents lifecycleEvents;
    private final GameServerApi api;
    private final ScheduledReconciler reconciler;
    private final OperationalAlarms alarms;

    public ControlPlaneStack(Construct scope, String id, Config config, ProjectFiles files) {
        super(
                scope,
                id,
                StackProps.builder()
                        .description("stackfleet control plane: game-server API, table, stream trigger and workflows")
                        .env(Environment.builder()
                                .account(config.controlPlaneAccount())
                                .region(config.region())
                                .build())
                        .build());
        table = new GameServerTable(this, "GameServers");
        quotaTable = new QuotaTable(this, "Quotas");
        accountPool = new AccountPoolTable(this, "AccountPool", config.region(), config.accountPool());
        releases = new ReleasesTable(this, "Releases");
        templates = new GameServerTemplateStore(this, "GameServerTemplate", config.workloadAccounts());
        stackWaits = new StackWaitsTable(this, "StackWaits");
        workflows = new Workflows(
                this,
                "Workflows",
                new Workflows.Props(
                        table.table(),
                        quotaTable,
                        accountPool,
                        stackWaits,
                        files.require(ProjectFiles.PROVISION_ASL),
                        files.require(ProjectFiles.DEPROVISION_ASL),
                        templates.templateUrlPrefix(),
                        config.workloadAccounts()));
        rollout = new RolloutWorkflow(
                this,
                "Rollout",
                new RolloutWorkflow.Props(table.table(), releases, files.require(ProjectFiles.ROLLOUT_ASL)));
        stackEvents = new StackEvents(
                this,
                "StackEvents",
                new StackEvents.Props(
                        stackWaits,
                        files.require(ProjectFiles.STACK_EVENT_ASL),
                        List.of(workflows.provision(), workflows.deprovision()),
                        config.workloadAccounts()));
        streamTrigger = new StreamTrigger(
                this,
                "StreamTrigger",
                new StreamTrigger.Props(
                        table.table(),
                        files.require(ProjectFiles.STREAM_JAR),
                        EventSourceSettings.read(Path.of(files.require(ProjectFiles.STREAM_EVENT_SOURCE))),
                        workflows.provision(),
                        workflows.deprovision(),
                        config));
        lifecycleEvents = new LifecycleEvents(
                this,
                "LifecycleEvents",
                new LifecycleEvents.Props(
                        table.table(), LifecyclePipe.read(Path.of(files.require(ProjectFiles.LIFECYCLE_PIPE)))));
        api = new GameServerApi(
                this,
                "Api",
                new GameServerApi.Props(
                        table.table(), quotaTable, accountPool, releases, files.require(ProjectFiles.API_JAR), config));
        reconciler = new ScheduledReconciler(
                this,
                "Reconciler",
                new ScheduledReconciler.Props(
                        table,
                        accountPool,
                        files.require(ProjectFiles.RECONCILER_JAR),
                        workflows.provision(),
                        workflows.deprovision(),
                        config.workloadAccounts(),
                        // The region new servers land in; the observer role (IAM) is the same in every region.
                        config.placementRegion(),
                        config.pollInitialSeconds(),
                        config.pollMaxSeconds(),
                        config.reconcile()));
        alarms = new OperationalAlarms(
                this,
                "Alarms",
                new OperationalAlarms.Props(
                        workflows.provision(),
                        workflows.deprovision(),
                        streamTrigger.deadLetterQueue(),
                        streamTrigger.handler().function(),
                        api.httpApi(),
                        reconciler.handler().function(),
                        reconciler.metricOrphanStacks(),
                        reconciler.metricStuckServers(),
                        reconciler.metricUnresolved(),
                        config.alarmTopicArn()));

        output("ApiUrl", api.stage().getUrl(), "Base URL of the game-server API (POST/GET /gameservers ...)");
        output("TableName", table.table().getTableName(), "The gameservers table, for the ops CLI and operators");
        output(
                "QuotaTableName",
                quotaTable.table().getTableName(),
                "The owners' quota records: the ids of each owner's live servers");
        output(
                "AccountPoolTableName",
                accountPool.table().getTableName(),
                "The workload accounts' capacity, state, use and quarantine, for the ops CLI");
        output(
                "ReleasesTableName",
                releases.table().getTableName(),
                "Template releases, the current release, rollouts and their lock, for the ops CLI");
        output(
                "ProvisionStateMachineArn",
                workflows.provision().getStateMachineArn(),
                "Provision workflow: execution history, redrive and replay with the ops CLI");
        output(
                "DeprovisionStateMachineArn",
                workflows.deprovision().getStateMachineArn(),
                "Deprovision workflow: execution history, redrive and replay with the ops CLI");
        output(
                "RolloutStateMachineArn",
                rollout.stateMachine().getStateMachineArn(),
                "Rollout workflow: upgrades the fleet to a template release in waves (ops rollout)");
        output(
                "DeadLetterQueueUrl",
                streamTrigger.deadLetterQueue().getQueueUrl(),
                "Stream records that could not start an execution, to inspect and replay");
        output(
                "LifecycleEventBusName",
                lifecycleEvents.bus().getEventBusName(),
                "Bus of the game servers' lifecycle events (docs/lifecycle-events.md), for billing and notifications");
        output(
                "WorkflowRoleArn",
                workflows.role().getRoleArn(),
                "The role every workload account's stackfleet-workload-access trusts");
        output(
                "ReconcilerRoleArn",
                reconciler.handler().role().getRoleArn(),
                "The role every workload account's stackfleet-workload-observer trusts");
        output(
                "GameServerTemplateBucket",
                templates.bucket().getBucketName(),
                "Bucket of the template releases (templates/<version>/game-server.yaml), read by the workload accounts");
        api.userPool()
                .ifPresent(pool -> output(
                        "UserPoolId", pool.getUserPoolId(), "Cognito user pool of the players (sign-up, sign-in)"));
        api.userPoolClient()
                .ifPresent(client -> output(
                        "UserPoolClientId",
                        client.getUserPoolClientId(),
                        "App client id for signing in; its access tokens authorize API calls"));
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    public GameServerTable table() {
        return table;
    }

    public QuotaTable quotaTable() {
        return quotaTable;
    }

    public AccountPoolTable accountPool() {
        return accountPool;
    }

    public ReleasesTable releases() {
        return releases;
    }

    public Workflows workflows() {
        return workflows;
    }

    public RolloutWorkflow rollout() {
        return rollout;
    }

    public StackWaitsTable stackWaits() {
        return stackWaits;
    }

    public StackEvents stackEvents() {
        return stackEvents;
    }

    public StreamTrigger streamTrigger() {
        return streamTrigger;
    }

    public LifecycleEvents lifecycleEvents() {
        return lifecycleEvents;
    }

    public GameServerApi api() {
        return api;
    }

    public ScheduledReconciler reconciler() {
        return reconciler;
    }

    /** The role each workload account's observer role trusts, besides the observer principals. */
    public IRole reconcilerRole() {
        return reconciler.handler().role();
    }

    public OperationalAlarms alarms() {
        return alarms;
    }

    public IRole workflowRole() {
        return workflows.role();
    }

    public IBucket templateBucket() {
        return templates.bucket();
    }
}
