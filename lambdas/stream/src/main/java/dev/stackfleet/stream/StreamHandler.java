package dev.stackfleet.stream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.stackfleet.core.LambdaClients;
import dev.stackfleet.core.aws.AwsJsonClient;
import dev.stackfleet.core.aws.LightSfnClient;
import java.util.List;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The stream Lambda: one Step Functions execution per intent found in the {@code gameservers} table's stream.
 *
 * <p><b>Trigger:</b> the table's DynamoDB stream ({@code NEW_AND_OLD_IMAGES}) through an event source mapping
 * configured from {@code stream-event-source.json} (batch size, window, retries, bisect, filters), with
 * {@code ReportBatchItemFailures} on and the dead-letter queue as its on-failure destination. Which record carries
 * which intent is decided again in code by {@link RecordClassifier}, whatever the filters let through.
 *
 * <p><b>Environment</b> (read once, at init; a missing required variable fails the init with a message naming it):
 * <ul>
 *   <li>{@code PROVISION_STATE_MACHINE_ARN}, {@code DEPROVISION_STATE_MACHINE_ARN}: required;</li>
 *   <li>{@code DEAD_LETTER_QUEUE_URL}: required, SQS queue for records that can never succeed;</li>
 *   <li>{@code POLL_INITIAL_SECONDS} (5), {@code POLL_MAX_SECONDS} (60): passed to the workflows in
 *       {@code poll};</li>
 *   <li>{@code MAX_CONCURRENT_STARTS} (8): StartExecution calls in flight at once.</li>
 * </ul>
 *
 * <p><b>Errors:</b> a transient failure (throttling, 5xx, network, timeout) of a record's StartExecution, or a
 * configuration error that fails every record alike (a missing or deleting state machine, a bad ARN), is
 * reported in {@code batchItemFailures} with that record's sequence number; only the first such record is
 * reported, as Lambda resumes from the lowest one anyway and redelivers everything after it (harmless: a repeated
 * start of the same intent is refused as {@code ExecutionAlreadyExists}, which counts as done). A record that can
 * never succeed (unknown shape, missing or malformed attributes, or an input or name Step Functions refuses) goes to
 * the dead-letter queue with the whole record and the reason; if that send fails, the record is reported as a
 * batch item failure instead, so nothing is lost. One log line per record: event, server, intent, execution,
 * outcome.
 */
public class StreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>, Resource {

    private final StreamProcessor processor;
    /** The same processing against state machines that do not exist, for SnapStart priming. */
    private final StreamProcessor priming;

    /** Used by the Lambda runtime: reads the environment and builds the AWS clients once. */
    public StreamHandler() {
        this(StreamConfig.fromEnvironment(System.getenv()), LambdaClients.fromEnvironment(System::getenv));
        Core.getGlobalContext().register(this);
    }

    /** As the runtime builds it, with the clients' region, credentials and endpoint given (the stream benchmark). */
    public StreamHandler(StreamConfig config, LambdaClients clients) {
        this(
                config,
                new LightSfnClient(clients.json(LightSfnClient.STEP_FUNCTIONS, AwsJsonClient.Timeouts.FAIL_FAST)),
                new LightSqsClient(clients.json(LightSqsClient.SQS, AwsJsonClient.Timeouts.FAIL_FAST)));
    }

    /**
     * Used by tests and by the local runtime.
     *
     * @param config state machines, dead-letter queue, poll settings, concurrency bound
     * @param sfn the client that starts executions
     * @param sqs the client that sends to the dead-letter queue
     */
    public StreamHandler(StreamConfig config, SfnClient sfn, SqsClient sqs) {
        this.processor = processor(config, sfn, sqs);
        this.priming = processor(config.unreachable(), sfn, sqs);
    }

    private static StreamProcessor processor(StreamConfig config, SfnClient sfn, SqsClient sqs) {
        return new StreamProcessor(
                new RecordClassifier(),
                config.workflows(),
                config.poll(),
                new ExecutionStarter(sfn, config.maxConcurrentStarts()),
                new DeadLetterQueue(sqs, config.deadLetterQueueUrl()));
    }

    /**
     * SnapStart priming: a new server's record through the whole processing (classification, execution input, the
     * StartExecution call), against a state machine that does not exist, so nothing is started or sent.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        priming.process(List.of(PrimingRecord.newServer()));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to renew: the clients re-open connections as they need them
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<DynamodbStreamRecord> records =
                event == null || event.getRecords() == null ? List.of() : event.getRecords();
        StreamProcessor.BatchResult result = processor.process(records);
        LambdaLogger logger = context.getLogger();
        for (RecordResult record : result.records()) {
            logger.log(record.logLine());
        }
        List<StreamsEventResponse.BatchItemFailure> failures = result.checkpoint() == null
                ? List.of()
                : List.of(new StreamsEventResponse.BatchItemFailure(result.checkpoint()));
        return new StreamsEventResponse(failures);
    }
}
