package dev.stackfleet.local.stream;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.EventSourceSettings;
import dev.stackfleet.core.LoggingLambdaContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Delivers one batch of a shard to the handler with the retry semantics of a Lambda event source mapping for
 * DynamoDB streams with {@code ReportBatchItemFailures}:
 *
 * <ul>
 *   <li>a response without {@code batchItemFailures} completes the batch;</li>
 *   <li>reported failures checkpoint before the lowest reported record, and the rest is delivered again from it;
 *       an identifier that is null, blank or not in the batch fails the whole batch;</li>
 *   <li>a handler error fails the whole batch; with {@code bisectBatchOnError} a failed batch of more than one
 *       record is split in two halves, delivered one after the other;</li>
 *   <li>after {@code maxRetryAttempts} retries, or for records older than {@code maxRecordAgeSeconds}, the
 *       batch's description (not its records, as in AWS) goes to the on-failure destination and the shard moves
 *       on; with {@code -1} for both, a failing batch is retried until its records leave the stream (24 hours),
 *       with a back-off that stops growing after a few retries.</li>
 * </ul>
 */
public final class BatchDelivery implements BatchConsumer {

    /** The retry back-off grows with each retry up to this many times its base, then stays there. */
    private static final int MAX_BACKOFF_STEPS = 10;

    private final RequestHandler<DynamodbEvent, StreamsEventResponse> handler;
    private final EventSourceSettings settings;
    private final LambdaRecordJson records;
    private final OnFailureDestination onFailure;
    private final Consumer<String> log;
    private final Duration retryBackoff;
    private final Clock clock;
    private final String streamArn;
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @param handler the function
     * @param settings retries, bisect and record age
     * @param records turns records into the typed event
     * @param onFailure where given-up batches are described
     * @param log the handler's log lines and the poller's own
     * @param retryBackoff wait before the n-th retry: n times this
     * @param clock for record ages
     * @param streamArn named in on-failure messages
     */
    public BatchDelivery(
            RequestHandler<DynamodbEvent, StreamsEventResponse> handler,
            EventSourceSettings settings,
            LambdaRecordJson records,
            OnFailureDestination onFailure,
            Consumer<String> log,
            Duration retryBackoff,
            Clock clock,
            String streamArn) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.records = Objects.requireNonNull(records, "records");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.log = Objects.requireNonNull(log, "log");
        this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.streamArn = Objects.requireNonNull(streamArn, "streamArn");
    }

    /** Delivers the batch until every record is processed or handed to the on-failure destination. */
    @Override
    public void deliver(String shardId, List<PolledRecord> batch) throws InterruptedException {
        Deque<List<PolledRecord>> work = new ArrayDeque<>();
        Map<String, Integer> retries = new HashMap<>();
        work.push(List.copyOf(batch));
        while (!work.isEmpty()) {
            List<PolledRecord> chunk = withoutExpired(shardId, work.pop());
            if (chunk.isEmpty()) {
                continue;
            }
            Result result = invoke(chunk);
            if (result.failedFrom < 0) {
                continue;
            }
            List<PolledRecord> rest = chunk.subList(result.failedFrom, chunk.size());
            // Every record of the failed part has now failed once more; the part is given up when its first
            // record has used up its retries (a bisected half keeps the count of its records).
            for (PolledRecord record : rest) {
                retries.merge(record.sequenceNumber(), 1, Integer::sum);
            }
            int retry = retries.get(rest.get(0).sequenceNumber());
            if (!settings.retriesUntilExpiry() && retry > settings.maxRetryAttempts()) {
                giveUp(shardId, rest, "RetryAttemptsExhausted", retry, result.error);
                continue;
            }
            log.accept("stream poller: retry " + retry + "/"
                    + (settings.retriesUntilExpiry() ? "until expiry" : settings.maxRetryAttempts())
                    + " from sequence number " + rest.get(0).sequenceNumber() + " (" + rest.size() + " records): "
                    + result.why);
            Thread.sleep(retryBackoff
                    .multipliedBy(Math.min(retry, MAX_BACKOFF_STEPS))
                    .toMillis());
            if (result.error && settings.bisectBatchOnError() && rest.size() > 1) {
                int half = rest.size() / 2;
                work.push(List.copyOf(rest.subList(half, rest.size())));
                work.push(List.copyOf(rest.subList(0, half)));
            } else {
                work.push(List.copyOf(rest));
            }
        }
    }

    private record Result(int failedFrom, boolean error, String why) {}

    private Result invoke(List<PolledRecord> chunk) {
        StreamsEventResponse response;
        try {
            DynamodbEvent event =
                    records.toEvent(chunk.stream().map(PolledRecord::json).toList());
            response = handler.handleRequest(event, new LoggingLambdaContext("stackfleet-stream", log));
        } catch (RuntimeException e) {
            return new Result(0, true, "function error: " + e);
        }
        if (response == null
                || response.getBatchItemFailures() == null
                || response.getBatchItemFailures().isEmpty()) {
            return new Result(-1, false, "");
        }
        int lowest = Integer.MAX_VALUE;
        for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            String id = failure == null ? null : failure.getItemIdentifier();
            int index = indexOf(chunk, id);
            if (index < 0) {
                return new Result(0, true, "batchItemFailures names '" + id + "', not a record of the batch");
            }
            lowest = Math.min(lowest, index);
        }
        return new Result(
                lowest, false, "batchItemFailures from " + chunk.get(lowest).sequenceNumber());
    }

    private static int indexOf(List<PolledRecord> chunk, String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.isBlank()) {
            return -1;
        }
        for (int i = 0; i < chunk.size(); i++) {
            if (chunk.get(i).sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    private List<PolledRecord> withoutExpired(String shardId, List<PolledRecord> chunk) {
        Instant oldest = clock.instant().minus(settings.maxRecordAge());
        List<PolledRecord> expired = new ArrayList<>();
        List<PolledRecord> fresh = new ArrayList<>();
        for (PolledRecord record : chunk) {
            (record.approximateCreation().isBefore(oldest) ? expired : fresh).add(record);
        }
        if (!expired.isEmpty()) {
            giveUp(shardId, expired, "RecordAgeExceeded", 0, false);
        }
        return fresh;
    }

    private void giveUp(
            String shardId, List<PolledRecord> records, String condition, int invocations, boolean functionError) {
        String message = onFailureMessage(shardId, records, condition, invocations, functionError);
        try {
            onFailure.send(message);
            log.accept("stream poller: gave up " + records.size() + " records (" + condition + "), sent to the"
                    + " on-failure destination: " + message);
        } catch (RuntimeException e) {
            log.accept("stream poller: gave up " + records.size() + " records (" + condition + ") and could not"
                    + " send them to the on-failure destination (" + e + "): " + message);
        }
    }

    /** The message Lambda sends to a stream's on-failure destination. */
    String onFailureMessage(
            String shardId, List<PolledRecord> records, String condition, int invocations, boolean functionError) {
        ObjectNode message = mapper.createObjectNode();
        ObjectNode request = message.putObject("requestContext");
        request.put("requestId", UUID.randomUUID().toString());
        request.put("functionArn", "arn:aws:lambda:local:000000000000:function:stackfleet-stream");
        request.put("condition", condition);
        request.put("approximateInvokeCount", invocations);
        ObjectNode response = message.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        if (functionError) {
            response.put("functionError", "Unhandled");
        }
        message.put("version", "1.0");
        message.put("timestamp", clock.instant().toString());
        ObjectNode info = message.putObject("DDBStreamBatchInfo");
        info.put("shardId", shardId);
        info.put("startSequenceNumber", records.get(0).sequenceNumber());
        info.put("endSequenceNumber", records.get(records.size() - 1).sequenceNumber());
        info.put(
                "approximateArrivalOfFirstRecord",
                records.get(0).approximateCreation().toString());
        info.put(
                "approximateArrivalOfLastRecord",
                records.get(records.size() - 1).approximateCreation().toString());
        info.put("batchSize", records.size());
        info.put("streamArn", streamArn);
        return message.toString();
    }
}
