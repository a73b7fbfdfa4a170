package dev.stackfleet.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The emulator's stand-in for EventBridge's delivery of "CloudFormation Stack Status Change" events: on AWS,
 * a rule in each workload account forwards a stack's settled status to the control plane's bus, whose rule
 * starts the stack-event callback. The emulator emits no such events, and it settles stacks synchronously, so a
 * workflow's stack has settled before its wait stores a token. This loop watches the stack-waits table instead:
 * for each token not seen before whose stack has settled (or is gone), it starts the same callback state machine
 * with an event of the real shape. Only the delivery is a stand-in; the callback, the token and the waiting
 * workflow are the deployed ones.
 */
public final class LocalStackEvents implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalAws aws;
    private final String callbackArn;
    private final Set<String> delivered = new HashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "stack-events");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param aws clients aimed at the emulator
     * @param callbackArn the stack-event callback state machine
     */
    public LocalStackEvents(LocalAws aws, String callbackArn) {
        this.aws = aws;
        this.callbackArn = callbackArn;
    }

    public void start() {
        // Runs until close() shuts the timer down; deliver() reports its own failures.
        ScheduledFuture<?> unused =
                timer.scheduleWithFixedDelay(this::deliver, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void deliver() {
        try (DynamoDbClient dynamoDb = aws.dynamoDb();
                SfnClient sfn = aws.sfn()) {
            for (Map<String, AttributeValue> wait : dynamoDb.scanPaginator(
                            r -> r.tableName(LocalResources.STACK_WAITS_TABLE_NAME))
                    .items()) {
                String token = wait.get("task_token").s();
                if (delivered.contains(token)) {
                    continue;
                }
                Optional<String> event = settledEvent(
                        wait.get("stack_name").s(), wait.get("role_arn").s());
                if (event.isPresent()) {
                    sfn.startExecution(r -> r.stateMachineArn(callbackArn)
                            .name("stack-event-" + UUID.randomUUID())
                            .input(event.get()));
                    delivered.add(token);
                }
            }
        } catch (SdkException e) {
            LocalLog.line("events", "cannot deliver stack events: " + e.getMessage());
        }
    }

    /** The event CloudFormation would emit for the stack's settled status; empty while it is in progress. */
    private Optional<String> settledEvent(String stackName, String roleArn) {
        String account = roleArn.split(":", -1)[4];
        String stackId;
        String status;
        try (CloudFormationClient cloudFormation = aws.cloudFormationAs(roleArn, LocalAws.REGION.id())) {
            Stack stack = cloudFormation
                    .describeStacks(r -> r.stackName(stackName))
                    .stacks()
                    .get(0);
            stackId = stack.stackId();
            status = stack.stackStatusAsString();
        } catch (CloudFormationException e) {
            if (e.getMessage() == null || !e.getMessage().contains("does not exist")) {
                throw e;
            }
            // Deleted: the real event names the deleted stack's id; the callback only reads its name.
            stackId = "arn:aws:cloudformation:" + LocalAws.REGION.id() + ":" + account + ":stack/" + stackName
                    + "/deleted";
            status = "DELETE_COMPLETE";
        }
        if (status.endsWith("_IN_PROGRESS")) {
            return Optional.empty();
        }
        ObjectNode event = JSON.createObjectNode()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", "CloudFormation Stack Status Change")
                .put("source", "aws.cloudformation")
                .put("account", account)
                .put("time", Instant.now().toString())
                .put("region", LocalAws.REGION.id());
        event.putArray("resources").add(stackId);
        ObjectNode detail = event.putObject("detail").put("stack-id", stackId);
        detail.putObject("status-details").put("status", status).put("status-reason", "");
        return Optional.of(event.toString());
    }
}
