package dev.stackfleet.stream;

import dev.stackfleet.core.ItemAttributes;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a batch of stream records into executions: classify each record, build its execution, start them all
 * (bounded, concurrent), dead-letter what can never succeed, and find the checkpoint to resume from.
 *
 * <p>Lambda resumes a stream from the lowest sequence number reported in {@code batchItemFailures} and delivers
 * every later record again. So the result names exactly one record to retry: the first one whose start failed
 * transiently or whose dead-letter message could not be sent. Records before it are finished. Records after it
 * are delivered again: their starts are repeated harmlessly (same execution name), and their dead-letter
 * messages are sent only on that later delivery, so that a record is dead-lettered once, not once per retry.
 */
public final class StreamProcessor {

    private final RecordClassifier classifier;
    private final ExecutionInputBuilder builder;
    private final ExecutionStarter starter;
    private final DeadLetterQueue deadLetters;

    public StreamProcessor(RecordClassifier classifier, ExecutionInputBuilder builder, ExecutionStarter starter,
                           DeadLetterQueue deadLetters) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.builder = Objects.requireNonNull(builder, "builder");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /**
     * The outcome of one batch.
     *
     * @param records one result per record, in batch order
     * @param checkpoint the sequence number to report in {@code batchItemFailures}, or null when all is done
     */
    public record BatchResult(List<RecordResult> records, String checkpoint) {
    }

    public BatchResult process(List<DynamodbStreamRecord> records) {
        int size = records.size();
        String[] intents = new String[size];
        String[] deadLetterReasons = new String[size];
        String[] ignored = new String[size];
        ExecutionRequest[] requests = new ExecutionRequest[size];

        List<ExecutionRequest> toStart = new ArrayList<>();
        List<Integer> startIndexes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            RecordDecision decision = classifier.classify(records.get(i));
            switch (decision) {
                case RecordDecision.Ignore ignore -> ignored[i] = ignore.why();
                case RecordDecision.DeadLetter dead -> deadLetterReasons[i] = dead.reason();
                case RecordDecision.Start start -> {
                    intents[i] = start.intent().word();
                    try {
                        requests[i] = builder.build(start.intent(), start.image());
                        toStart.add(requests[i]);
                        startIndexes.add(i);
                    } catch (MalformedRecordException e) {
                        deadLetterReasons[i] = e.getMessage();
                    }
                }
            }
        }

        StartOutcome[] outcomes = new StartOutcome[size];
        List<StartOutcome> started = toStart.isEmpty() ? List.of() : starter.startAll(toStart);
        for (int k = 0; k < started.size(); k++) {
            int i = startIndexes.get(k);
            outcomes[i] = started.get(k);
            if (outcomes[i] instanceof StartOutcome.Rejected rejected) {
                deadLetterReasons[i] = "Step Functions rejected the execution: " + rejected.reason();
            }
        }

        int checkpoint = size;
        String[] retryReasons = new String[size];
        for (int i = 0; i < size; i++) {
            if (outcomes[i] != null && outcomes[i].retry()) {
                checkpoint = i;
                retryReasons[i] = reason(outcomes[i]);
                break;
            }
        }
        boolean[] deadLettered = new boolean[size];
        for (int i = 0; i < checkpoint; i++) {
            if (deadLetterReasons[i] != null) {
                String failure = deadLetters.send(records.get(i), deadLetterReasons[i], requests[i]);
                if (failure != null) {
                    checkpoint = i;
                    retryReasons[i] = "dead-letter queue unavailable (" + failure + ") for: " + deadLetterReasons[i];
                    break;
                }
                deadLettered[i] = true;
            }
        }

        List<RecordResult> results = new ArrayList<>(size);
        String checkpointSequence = null;
        for (int i = 0; i < size; i++) {
            DynamodbStreamRecord record = records.get(i);
            String sequence = sequenceNumber(record);
            String outcome;
            if (i == checkpoint) {
                outcome = "retry: " + retryReasons[i];
                checkpointSequence = sequence;
            } else if (i > checkpoint) {
                outcome = "redelivered after the retried record: " + (deadLetterReasons[i] != null
                        ? "dead-letter deferred: " + deadLetterReasons[i] : settled(outcomes[i], ignored[i]));
            } else if (deadLettered[i]) {
                outcome = "dead-lettered: " + deadLetterReasons[i];
            } else {
                outcome = settled(outcomes[i], ignored[i]);
            }
            results.add(new RecordResult(record.getEventID(), sequence, record.getEventName(), server(record),
                    intents[i] == null ? "none" : intents[i],
                    requests[i] == null ? "-" : requests[i].name().toString(), outcome, i == checkpoint));
        }
        if (checkpoint < size && (checkpointSequence == null || checkpointSequence.isBlank())) {
            // Without a sequence number the failure cannot be reported per record: fail the whole batch instead.
            throw new IllegalStateException("Record " + records.get(checkpoint).getEventID()
                    + " must be retried but has no SequenceNumber: " + retryReasons[checkpoint]);
        }
        return new BatchResult(results, checkpoint < size ? checkpointSequence : null);
    }

    private static String settled(StartOutcome outcome, String ignoredWhy) {
        if (outcome == null) {
            return ignoredWhy != null ? "ignored: " + ignoredWhy : "not started";
        }
        return switch (outcome) {
            case StartOutcome.Started started -> "started";
            case StartOutcome.AlreadyStarted already -> "already started";
            default -> reason(outcome);
        };
    }

    private static String reason(StartOutcome outcome) {
        return switch (outcome) {
            case StartOutcome.Failed failed -> failed.reason();
            case StartOutcome.NotAttempted skipped -> skipped.reason();
            case StartOutcome.Rejected rejected -> rejected.reason();
            case StartOutcome.Started started -> "started";
            case StartOutcome.AlreadyStarted already -> "already started";
        };
    }

    private static String sequenceNumber(DynamodbStreamRecord record) {
        return record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
    }

    private static String server(DynamodbStreamRecord record) {
        Map<String, AttributeValue> keys = record.getDynamodb() == null ? null : record.getDynamodb().getKeys();
        if (keys == null) {
            return "?";
        }
        AttributeValue username = keys.get(ItemAttributes.USERNAME);
        AttributeValue id = keys.get(ItemAttributes.GAMESERVER_ID);
        return (username == null ? "?" : username.getS()) + "/" + (id == null ? "?" : id.getS());
    }
}
