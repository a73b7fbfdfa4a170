package dev.stackfleet.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/**
 * A server's stack as its workload account sees it, read by assuming a reader role in that account
 * ({@link #OBSERVER_ROLE} by default).
 *
 * @param accountId the workload account
 * @param region the stack's region
 * @param roleArn the role assumed to read it
 * @param stackName the stack
 * @param status the stack status, {@code DOES_NOT_EXIST}, or {@code null} when it could not be read
 * @param statusReason the stack's status reason, or {@code null}
 * @param events the failed resource events, or the latest events when none failed (newest first)
 * @param unavailable why the stack could not be read (e.g. access denied), or {@code null}
 */
record WorkloadStack(
        String accountId,
        String region,
        String roleArn,
        String stackName,
        String status,
        String statusReason,
        List<Event> events,
        String unavailable) {

    /**
     * The read-only role that {@code templates/workload-access.yaml} creates for the principals in its
     * {@code ObserverPrincipalArns} parameter.
     */
    static final String OBSERVER_ROLE = "stackfleet-workload-observer";

    /** Events shown when no resource failed. */
    static final int LATEST_EVENTS = 10;

    /**
     * One stack event.
     *
     * @param timestamp when it happened
     * @param logicalId the resource's logical id
     * @param resourceType e.g. {@code AWS::SSM::Parameter}
     * @param status e.g. {@code CREATE_FAILED}
     * @param reason CloudFormation's reason, or {@code null}
     */
    record Event(Instant timestamp, String logicalId, String resourceType, String status, String reason) {

        static Event from(StackEvent e) {
            return new Event(
                    e.timestamp(),
                    e.logicalResourceId(),
                    e.resourceType(),
                    e.resourceStatusAsString(),
                    e.resourceStatusReason());
        }

        boolean failed() {
            return status != null && status.contains("FAILED");
        }
    }

    /**
     * Assumes the reader role and reads the stack's status and events. A failure to assume or read is
     * reported in {@link #unavailable()} rather than thrown, so that the rest of a history still prints.
     *
     * @param roleArn the reader role, in the stack's account
     */
    static WorkloadStack read(AwsClients clients, String roleArn, String region, String stackName) {
        // arn:partition:service:region:account-id:resource, where the resource may itself contain colons
        String[] arn = roleArn.split(":", 6);
        String accountId = arn.length > 4 ? arn[4] : null;
        try {
            try (CloudFormationClient cfn = assume(clients, roleArn, accountId, Region.of(region))) {
                String stackResource = "stack " + stackName + " in account " + accountId + " (" + region + ")";
                Stack stack = AwsCall.call("cloudformation:DescribeStacks", stackResource, () -> {
                    try {
                        return cfn.describeStacks(b -> b.stackName(stackName))
                                .stacks()
                                .get(0);
                    } catch (CloudFormationException e) {
                        if (e.getMessage().contains("does not exist")) {
                            return null;
                        }
                        throw e;
                    }
                });
                if (stack == null) {
                    return new WorkloadStack(
                            accountId, region, roleArn, stackName, "DOES_NOT_EXIST", null, List.of(), null);
                }
                List<Event> events = AwsCall.call(
                        "cloudformation:DescribeStackEvents",
                        stackResource,
                        () -> cfn.describeStackEvents(b -> b.stackName(stackName)).stackEvents().stream()
                                .map(Event::from)
                                .toList());
                List<Event> failed = events.stream().filter(Event::failed).toList();
                return new WorkloadStack(
                        accountId,
                        region,
                        roleArn,
                        stackName,
                        stack.stackStatusAsString(),
                        stack.stackStatusReason(),
                        failed.isEmpty() ? events.subList(0, Math.min(LATEST_EVENTS, events.size())) : failed,
                        null);
            }
        } catch (OpsException e) {
            return new WorkloadStack(accountId, region, roleArn, stackName, null, null, List.of(), e.getMessage());
        }
    }

    /**
     * The server's stack from its workload account, with the placement from the execution input, read as the
     * reader role of that account (in the execution's partition), e.g. {@link #OBSERVER_ROLE}.
     */
    static WorkloadStack forExecution(AwsClients clients, Execution execution, String readerRole) {
        JsonNode input = execution.inputJson();
        String accountId = input.path("placement").path("account_id").asText(null);
        String region = input.path("placement").path("region").asText(null);
        String stackName = input.path("stack_name").asText(null);
        if (accountId == null || region == null || stackName == null) {
            return new WorkloadStack(
                    accountId,
                    region,
                    null,
                    stackName,
                    null,
                    null,
                    List.of(),
                    "the execution input has no placement.account_id, placement.region or stack_name");
        }
        String partition = StateMachines.executionArnParts(execution.arn())[1];
        String roleArn = "arn:" + partition + ":iam::" + accountId + ":role/" + readerRole;
        return read(clients, roleArn, region, stackName);
    }

    /**
     * CloudFormation as the reader role; a failure to assume it says what the role needs besides the operator's
     * permission.
     */
    static CloudFormationClient assume(AwsClients clients, String roleArn, String accountId, Region region) {
        try {
            return AwsCall.call("sts:AssumeRole", roleArn, () -> clients.cloudFormationAs(roleArn, region));
        } catch (OpsException e) {
            throw new OpsException(e.getMessage() + "\n  the role must exist in account " + accountId
                    + " and trust the identity you run as: list that identity in ObserverPrincipalArns of the"
                    + " account's workload-access stack (for " + OBSERVER_ROLE + "), or name another role with"
                    + " --stack-reader-role");
        }
    }
}
