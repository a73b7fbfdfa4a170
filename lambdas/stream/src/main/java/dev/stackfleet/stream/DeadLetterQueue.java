package dev.stackfleet.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.ExecutionRequest;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends records that can never start an execution to the dead-letter SQS queue, with everything needed to replay
 * them: the reason, the whole record as Lambda delivered it, and the execution it would have started when known.
 *
 * <p>Message body:
 * <pre>{@code
 * {"source": "stackfleet-stream", "reason": "...", "eventID": "...", "eventName": "INSERT",
 *  "sequenceNumber": "...", "eventSourceARN": "...",
 *  "execution": {"name": "...", "stateMachineArn": "...", "input": {...}},    // when known
 *  "record": {...the stream record...}}
 * }</pre>
 */
public final class DeadLetterQueue {

    /** Value of the {@code source} field of every message. */
    public static final String SOURCE = "stackfleet-stream";

    private final SqsClient sqs;
    private final String queueUrl;

    public DeadLetterQueue(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    /**
     * The message's mappers, built with the first dead letter rather than at init: most batches send none, and an
     * {@code ObjectMapper} costs a cold start about a quarter of a second.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final StreamRecordJson RECORDS = new StreamRecordJson(MAPPER);
    }

    /**
     * Sends one record.
     *
     * @param request the execution the record would have started, or null when none could be built
     * @return null when sent, otherwise why not (the record must then be retried)
     */
    public String send(DynamodbStreamRecord record, String reason, ExecutionRequest request) {
        try {
            sqs.sendMessage(SendMessageRequest.builder()
                    .queueUrl(queueUrl)
                    .messageBody(body(record, reason, request))
                    .build());
            return null;
        } catch (SdkException e) {
            return ExecutionStarter.describe(e);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    String body(DynamodbStreamRecord record, String reason, ExecutionRequest request) {
        ObjectMapper mapper = Json.MAPPER;
        ObjectNode body = mapper.createObjectNode();
        body.put("source", SOURCE);
        body.put("reason", reason);
        body.put("eventID", record.getEventID());
        body.put("eventName", record.getEventName());
        body.put(
                "sequenceNumber",
                record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber());
        body.put("eventSourceARN", record.getEventSourceARN());
        if (request != null) {
            ObjectNode execution = body.putObject("execution");
            execution.put("name", request.name().toString());
            execution.put("stateMachineArn", request.stateMachineArn());
            execution.set("input", mapper.valueToTree(request.input()));
        }
        body.set("record", Json.RECORDS.toJson(record));
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the dead-letter message", e);
        }
    }
}
