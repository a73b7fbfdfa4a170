package dev.stackfleet.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.ExecutionRequest;
import dev.stackfleet.core.ItemAttributes;
import dev.stackfleet.core.MalformedItemException;
import dev.stackfleet.core.Workflows;
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
    private final Workflows workflows;
    private final ExecutionInput.Poll poll;
    private final ExecutionStarter starter;
    private final DeadLetterQueue deadLetters;

    public StreamProcessor(
            RecordClassifier classifier,
            Workflows workflows,
            ExecutionInput.Poll poll,
            ExecutionStarter starter,
            DeadLetterQueue deadLetters) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.workflows = Objects.requireNonNull(workflows, "workflows");
        this.poll = Objects.requireNonNull(poll, "poll");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /**
     * The outcome of one batch.
     *
     * @param records one result per record, in batch order
     * @param checkpoint the sequence number to report in {@code batchItemFailures}, or null when all is done
     */
    public record BatchResult(List<RecordResult> records, String checkpoint) {}

    /** One record of the batch and everything decided about it so far. */
    private static final class Slot {
        final DynamodbStreamRecord record;
        String intent = "none";
        ExecutionRequest request;
        StartOutcome outcome;
        String ignored;
        String deadLetterReason;
        boolean deadLettered;
        String retryReason;

        Slot(DynamodbStreamRecord record) {
            this.record = record;
        }
    }

    public BatchResult process(List<DynamodbStreamRecord> records) {
        List<Slot> slots = records.stream().map(this::classify).toList();
        List<Slot> starting =
                slots.stream().filter(slot -> slot.request != null).toList();
        if (!starting.isEmpty()) {
            List<StartOutcome> outcomes =
                    starter.startAll(starting.stream().map(slot -> slot.request).toList());
            for (int k = 0; k < starting.size(); k++) {
                Slot slot = starting.get(k);
                slot.outcome = outcomes.get(k);
                if (slot.outcome instanceof StartOutcome.Rejected rejected) {
                    slot.deadLetterReason = "Step Functions rejected the execution: " + rejected.reason();
                }
            }
        }
        int checkpoint = checkpoint(slots);
        List<RecordResult> results = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            results.add(result(slots.get(i), i == checkpoint, i > checkpoint));
        }
        if (checkpoint < slots.size()) {
            Slot retried = slots.get(checkpoint);
            String sequence = sequenceNumber(retried.record);
            if (sequence == null || sequence.isBlank()) {
                // Without a sequence number the failure cannot be reported per record: fail the whole batch instead.
                throw new IllegalStateException("Record " + retried.record.getEventID()
                        + " must be retried but has no SequenceNumber: " + retried.retryReason);
            }
            return new BatchResult(results, sequence);
        }
        return new BatchResult(results, null);
    }

    private Slot classify(DynamodbStreamRecord record) {
        Slot slot = new Slot(record);
        RecordDecision decision;
        try {
            decision = classifier.classify(record);
        } catch (RuntimeException e) {
            // a record this code cannot read stays unreadable on every delivery: keep it, whole, for a replay
            decision = new RecordDecision.DeadLetter("the record could not be read: " + e);
        }
        switch (decision) {
            case RecordDecision.Ignore ignore -> slot.ignored = ignore.why();
            case RecordDecision.DeadLetter dead -> slot.deadLetterReason = dead.reason();
            case RecordDecision.Start start -> {
                slot.intent = start.intent().word();
                try {
                    slot.request = workflows.request(ExecutionInput.fromItem(start.intent(), start.image(), poll));
                } catch (MalformedItemException | IllegalArgumentException e) {
                    slot.deadLetterReason = e.getMessage();
                }
            }
        }
        return slot;
    }

    /**
     * The index of the first record to deliver again: the first whose start failed transiently, or the first
     * before it whose dead-letter message could not be sent. Dead-letters are sent only before that point.
     */
    private int checkpoint(List<Slot> slots) {
        int checkpoint = slots.size();
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.outcome != null && slot.outcome.retry()) {
                checkpoint = i;
                slot.retryReason = reason(slot.outcome);
                break;
            }
        }
        for (int i = 0; i < checkpoint; i++) {
            Slot slot = slots.get(i);
            if (slot.deadLetterReason != null) {
                String failure = deadLetters.send(slot.record, slot.deadLetterReason, slot.request);
                if (failure != null) {
                    slot.retryReason = "dead-letter queue unavailable (" + failure + ") for: " + slot.deadLetterReason;
                    return i;
                }
                slot.deadLettered = true;
            }
        }
        return checkpoint;
    }

    private static RecordResult result(Slot slot, boolean isCheckpoint, boolean afterCheckpoint) {
        String outcome;
        if (isCheckpoint) {
            outcome = "retry: " + slot.retryReason;
        } else if (afterCheckpoint) {
            outcome = "redelivered after the retried record: "
                    + (slot.deadLetterReason != null
                            ? "dead-letter deferred: " + slot.deadLetterReason
                            : settled(slot));
        } else if (slot.deadLettered) {
            outcome = "dead-lettered: " + slot.deadLetterReason;
        } else {
            outcome = settled(slot);
        }
        DynamodbStreamRecord record = slot.record;
        return new RecordResult(
                record.getEventID(),
                sequenceNumber(record),
                record.getEventName(),
                server(record),
                slot.intent,
                slot.request == null ? "-" : slot.request.name().toString(),
                outcome,
                isCheckpoint);
    }

    private static String settled(Slot slot) {
        if (slot.outcome == null) {
            return slot.ignored != null ? "ignored: " + slot.ignored : "not started";
        }
        return reason(slot.outcome);
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
        Map<String, AttributeValue> keys =
                record.getDynamodb() == null ? null : record.getDynamodb().getKeys();
        if (keys == null) {
            return "?";
        }
        AttributeValue owner = keys.get(ItemAttributes.OWNER);
        AttributeValue id = keys.get(ItemAttributes.GAMESERVER_ID);
        return (owner == null ? "?" : owner.getS()) + "/" + (id == null ? "?" : id.getS());
    }
}
