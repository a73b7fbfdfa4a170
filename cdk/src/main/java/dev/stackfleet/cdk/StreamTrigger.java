package dev.stackfleet.cdk;

import dev.stackfleet.core.EventSourceSettings;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.lambda.FilterCriteria;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * Where a stream record becomes a workflow execution: the stream Lambda, its event source mapping on
 * the table's stream (settings and filters from the shared settings file), and the dead-letter queue
 * that keeps the records that can never start an execution, for replay.
 *
 * <p>The Lambda may start executions of the two state machines and send to the dead-letter queue,
 * nothing else (besides reading the stream through its event source mapping).
 */
public final class StreamTrigger extends Construct {

    /** What the trigger connects. */
    public record Props(
            ITable table,
            String jarPath,
            EventSourceSettings settings,
            IStateMachine provision,
            IStateMachine deprovision,
            Config config) {}

    private final JavaFunction handler;
    private final Queue deadLetterQueue;

    public StreamTrigger(Construct scope, String id, Props props) {
        super(scope, id);
        EventSourceSettings settings = props.settings();
        // SQS managed encryption: the Lambda service writes failed batches here on the function's behalf,
        // which a customer managed key would have to allow as well; the records are stream metadata only.
        deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        NagSuppressions.addResourceSuppressions(
                deadLetterQueue,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-SQS3")
                        .reason("This queue is the dead-letter destination of the stream event source mapping")
                        .build()));
        Config config = props.config();
        handler = new JavaFunction(
                this,
                "Handler",
                new JavaFunction.Props(
                        "stackfleet stream: one workflow execution per game-server change",
                        props.jarPath(),
                        "dev.stackfleet.stream.StreamHandler::handleRequest",
                        1024,
                        Duration.seconds(60),
                        Map.of(
                                "PROVISION_STATE_MACHINE_ARN", props.provision().getStateMachineArn(),
                                "DEPROVISION_STATE_MACHINE_ARN",
                                        props.deprovision().getStateMachineArn(),
                                "DEAD_LETTER_QUEUE_URL", deadLetterQueue.getQueueUrl(),
                                "POLL_INITIAL_SECONDS", Integer.toString(config.pollInitialSeconds()),
                                "POLL_MAX_SECONDS", Integer.toString(config.pollMaxSeconds()),
                                "MAX_CONCURRENT_STARTS", Integer.toString(config.maxConcurrentStarts()),
                                "JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"),
                        true));
        props.provision().grantStartExecution(handler.role());
        props.deprovision().grantStartExecution(handler.role());
        deadLetterQueue.grantSendMessages(handler.role());

        // The mapping invokes the live alias: SnapStart applies to published versions only.
        handler.target()
                .addEventSource(DynamoEventSource.Builder.create(props.table())
                        // A new table starts empty: reading from the oldest record loses nothing written between
                        // the table's creation and the mapping's.
                        .startingPosition(StartingPosition.TRIM_HORIZON)
                        .batchSize(settings.batchSize())
                        .maxBatchingWindow(Duration.seconds(settings.maxBatchingWindowSeconds()))
                        // -1 (retry until the records expire) is Lambda's default, which CDK expresses as leaving these
                        // unset.
                        .retryAttempts(settings.retriesUntilExpiry() ? null : settings.maxRetryAttempts())
                        .maxRecordAge(
                                settings.maxRecordAgeSeconds() == EventSourceSettings.UNTIL_EXPIRY
                                        ? null
                                        : Duration.seconds(settings.maxRecordAgeSeconds()))
                        .bisectBatchOnError(settings.bisectBatchOnError())
                        .reportBatchItemFailures(true)
                        .onFailure(new SqsDlq(deadLetterQueue))
                        .filters(settings.filterMaps().stream()
                                .map(FilterCriteria::filter)
                                .toList())
                        .build());
    }

    public JavaFunction handler() {
        return handler;
    }

    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }
}
