package dev.stackfleet.cdk;

import dev.stackfleet.core.LifecyclePipe;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.ServicePrincipalOpts;
import software.amazon.awscdk.services.pipes.CfnPipe;
import software.constructs.Construct;

/**
 * The game servers' lifecycle events (docs/lifecycle-events.md): one EventBridge Pipe from the table's stream to the
 * {@value LifecyclePipe#BUS_NAME} bus, whose filters keep only the status changes other systems react to and whose
 * input template writes the documented detail, both from {@value LifecyclePipe#FILE}. One pipe, not one per kind: a
 * DynamoDB stream serves about two readers per shard, and the stream Lambda's mapping is already one.
 *
 * <p>The pipe's role may read that one stream and put events on that one bus, nothing else.
 */
public final class LifecycleEvents extends Construct {

    /**
     * What the pipe connects.
     *
     * @param table the game-server table, with its stream
     * @param definition filters, input template, source and detail-type
     */
    public record Props(ITable table, LifecyclePipe definition) {}

    private final EventBus bus;
    private final Role pipeRole;
    private final CfnPipe pipe;

    public LifecycleEvents(Construct scope, String id, Props props) {
        super(scope, id);
        LifecyclePipe definition = props.definition();
        String stream = props.table().getTableStreamArn();
        bus = EventBus.Builder.create(this, "Bus")
                .eventBusName(LifecyclePipe.BUS_NAME)
                .description("stackfleet lifecycle events: game servers created, updated, deleted or failed")
                .build();

        pipeRole = Role.Builder.create(this, "PipeRole")
                .assumedBy(new ServicePrincipal(
                        "pipes.amazonaws.com",
                        ServicePrincipalOpts.builder()
                                .conditions(Map.of(
                                        "StringEquals",
                                        Map.of(
                                                "aws:SourceAccount",
                                                Stack.of(this).getAccount())))
                                .build()))
                .description(
                        "stackfleet lifecycle pipe: read the game-server table's stream, publish on the lifecycle bus")
                .build();
        // The actions EventBridge Pipes documents for a DynamoDB stream source, on the one stream.
        pipeRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadTheTableStream")
                .actions(List.of(
                        "dynamodb:DescribeStream",
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:ListStreams"))
                .resources(List.of(stream))
                .build());
        pipeRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("PublishLifecycleEvents")
                .actions(List.of("events:PutEvents"))
                .resources(List.of(bus.getEventBusArn()))
                .build());

        pipe = CfnPipe.Builder.create(this, "Pipe")
                .description("Game-server status changes from the table's stream to the lifecycle bus")
                .roleArn(pipeRole.getRoleArn())
                .source(stream)
                .sourceParameters(CfnPipe.PipeSourceParametersProperty.builder()
                        .dynamoDbStreamParameters(CfnPipe.PipeSourceDynamoDBStreamParametersProperty.builder()
                                // A new table starts empty: reading from the oldest record loses nothing written
                                // between the table's creation and the pipe's.
                                .startingPosition("TRIM_HORIZON")
                                .batchSize(LifecyclePipe.BATCH_SIZE)
                                .build())
                        .filterCriteria(CfnPipe.FilterCriteriaProperty.builder()
                                .filters(definition.filters().stream()
                                        .map(pattern -> CfnPipe.FilterProperty.builder()
                                                .pattern(pattern)
                                                .build())
                                        .toList())
                                .build())
                        .build())
                .target(bus.getEventBusArn())
                .targetParameters(CfnPipe.PipeTargetParametersProperty.builder()
                        .inputTemplate(definition.inputTemplate())
                        .eventBridgeEventBusParameters(CfnPipe.PipeTargetEventBridgeEventBusParametersProperty.builder()
                                .source(definition.source())
                                .detailType(definition.detailType())
                                .build())
                        .build())
                .build();
        // The pipe starts reading as it is created: its role's policy must exist by then.
        pipe.getNode().addDependency(pipeRole);
    }

    public EventBus bus() {
        return bus;
    }

    public Role pipeRole() {
        return pipeRole;
    }

    public CfnPipe pipe() {
        return pipe;
    }
}
