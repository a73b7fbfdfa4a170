package dev.stackfleet.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cloudformation.include.CfnInclude;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.EventBus;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The access roles of one workload account, deployed from {@code templates/workload-access.yaml}
 * itself (included, never copied) and trusting the control plane's workflow role, plus the read-only
 * observer role, trusted by the control plane's reconciler role and the configured observer principals.
 * One stack per workload account: each lives in its own account, next to the stacks it manages.
 *
 * <p>The template's parameters stay parameters, with the control plane's values as defaults, so
 * CloudFormation evaluates the template's conditions as written.
 */
public final class WorkloadAccessStack extends Stack {

    /**
     * What the access stack of one workload account needs.
     *
     * @param workflowRole the only principal of {@code stackfleet-workload-access}
     * @param reconcilerRole trusted by {@code stackfleet-workload-observer}, which it lists stacks through
     * @param observerPrincipals further principals that may assume {@code stackfleet-workload-observer}
     * @param stackEventBusArn the control plane's bus, which this account's stackfleet stack events go to
     */
    public record Props(
            String account,
            String region,
            IRole workflowRole,
            IRole reconcilerRole,
            IBucket templateBucket,
            List<String> observerPrincipals,
            String stackEventBusArn) {}

    private final CfnInclude template;

    public WorkloadAccessStack(Construct scope, String id, Props props, ProjectFiles files) {
        super(
                scope,
                id,
                StackProps.builder()
                        .description("stackfleet workload-account access roles (templates/workload-access.yaml)")
                        .env(Environment.builder()
                                .account(props.account())
                                .region(props.region())
                                .build())
                        .build());
        template = CfnInclude.Builder.create(this, "WorkloadAccess")
                .templateFile(files.require(ProjectFiles.WORKLOAD_ACCESS_TEMPLATE))
                .build();
        Map.of(
                        // Written out rather than getRoleArn(): a parameter default must be a plain string, and
                        // stackfleet runs in the commercial partition (as Workflows.workloadAccessRoleArn).
                        "ControlPlaneWorkflowRoleArn", roleArn(props.workflowRole()),
                        "ControlPlaneReconcilerRoleArn", roleArn(props.reconcilerRole()),
                        "TemplateBucketName", props.templateBucket().getBucketName(),
                        "TemplateKeyPrefix", GameServerTemplateStore.KEY_PREFIX)
                .forEach((name, value) -> template.getParameter(name).setDefaultValue(value));
        if (!props.observerPrincipals().isEmpty()) {
            template.getParameter("ObserverPrincipalArns")
                    .setDefaultValue(String.join(",", props.observerPrincipals()));
        }
        suppressWildcardsExplainedInTemplate();
        forwardStackEvents(props.stackEventBusArn());
    }

    /**
     * The settled status changes of this account's stackfleet stacks (named {@code stackfleet-*}) go to the
     * control plane's bus, where they release the workflows waiting on them (see {@link StackEvents}).
     */
    private void forwardStackEvents(String busArn) {
        EventPattern settled = StackEvents.settledStackEvents();
        Map<String, Object> detail = new HashMap<>(settled.getDetail());
        detail.put(
                "stack-id",
                List.of(Map.of(
                        "prefix",
                        "arn:aws:cloudformation:" + getRegion() + ":" + getAccount() + ":stack/stackfleet-")));
        Rule.Builder.create(this, "ForwardStackEvents")
                .description("stackfleet stacks' settled status changes, to the control plane's event bus")
                .eventPattern(EventPattern.builder()
                        .source(settled.getSource())
                        .detailType(settled.getDetailType())
                        .detail(detail)
                        .build())
                .targets(List.of(new EventBus(software.amazon.awscdk.services.events.EventBus.fromEventBusArn(
                        this, "ControlPlaneStackEvents", busArn))))
                .build();
    }

    private static String roleArn(IRole role) {
        return "arn:aws:iam::" + role.getEnv().getAccount() + ":role/" + role.getRoleName();
    }

    /**
     * The template scopes every wildcard by the stackfleet name prefix or tag, or uses it for actions
     * without resource-level permissions, and says so beside each statement. Each finding is listed
     * here, so that a new wildcard in the template fails the cdk-nag check until it is reviewed.
     */
    private void suppressWildcardsExplainedInTemplate() {
        String logs = "Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:";
        String own = "Resource::arn:<AWS::Partition>:";
        suppress(
                "WorkloadAccessRole",
                "Scoped to stacks named stackfleet-* and the stackfleet networking parameters, in any region of "
                        + "this account: placement decides the region per game server",
                own + "cloudformation:*:<AWS::AccountId>:stack/stackfleet-*/*",
                own + "ssm:*:<AWS::AccountId>:parameter/stackfleet/network/*");
        suppress(
                "WorkloadObserverRole",
                "Read-only: events and resources of stacks named stackfleet-* in any region of this account (operators "
                        + "read a game server's stack wherever placement put it), and DescribeStacks on every stack, which "
                        + "is how the reconciler lists the account's stacks (a DescribeStacks without a stack name)",
                own + "cloudformation:*:<AWS::AccountId>:stack/stackfleet-*/*",
                "Resource::*");
        suppress(
                "CloudFormationExecutionRole",
                "Resources of game-server stacks are named after their stackfleet-* stack (any region); EC2 "
                        + "and target group changes require the stackfleet tag; ECS task definitions and "
                        + "EC2/ELB/log-group reads have no resource-level permissions (see the template's comments)",
                logs + "/stackfleet/game-servers/stackfleet-*",
                logs + "*",
                own + "ecs:*:<AWS::AccountId>:cluster/stackfleet-*",
                own + "ecs:*:<AWS::AccountId>:service/stackfleet-*/stackfleet-*",
                own + "ecs:*:<AWS::AccountId>:task-definition/stackfleet-*:*",
                "Resource::*",
                own + "ec2:*:<AWS::AccountId>:vpc/*",
                own + "ec2:*:<AWS::AccountId>:security-group/*",
                own + "elasticloadbalancing:*:<AWS::AccountId>:loadbalancer/net/stackfleet-*/*",
                own + "elasticloadbalancing:*:<AWS::AccountId>:listener/net/stackfleet-*/*/*",
                own + "elasticloadbalancing:*:<AWS::AccountId>:targetgroup/*/*",
                own + "ssm:*:<AWS::AccountId>:parameter/stackfleet/network/*");
        suppress(
                "TaskExecutionRole",
                "Game-server log streams and stackfleet/* ECR repositories only; ecr:GetAuthorizationToken has no "
                        + "resource-level permissions",
                logs + "/stackfleet/game-servers/stackfleet-*:log-stream:*",
                own + "ecr:*:<AWS::AccountId>:repository/stackfleet/*",
                "Resource::*");
    }

    private void suppress(String logicalId, String reason, String... findings) {
        NagSuppressions.addResourceSuppressions(
                template.getResource(logicalId),
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason(reason)
                        .appliesTo(List.of((Object[]) findings))
                        .build()));
    }

    public CfnInclude template() {
        return template;
    }
}
