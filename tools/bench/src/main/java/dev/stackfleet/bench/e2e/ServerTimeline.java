package dev.stackfleet.bench.e2e;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * When each step of one create happened, from timestamps the system itself records: the item's
 * {@code created_at} (the API's write), the execution's {@code startDate} (the stream handler's StartExecution
 * accepted), and the execution history (the first state entered, the status-write task {@code RecordActive}
 * entered and exited).
 */
record ServerTimeline(
        Instant accepted,
        Instant itemWritten,
        Instant executionStarted,
        Instant firstState,
        Instant statusWriteEntered,
        Instant statusWriteExited) {

    static final String STATUS_WRITE_STATE = "RecordActive";

    /** Reads the execution's start and history; fails when a step is missing from the history. */
    static ServerTimeline read(SfnClient sfn, String executionArn, Instant accepted, Instant itemWritten) {
        Instant started =
                sfn.describeExecution(r -> r.executionArn(executionArn)).startDate();
        List<HistoryEvent> events =
                sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn)).events().stream()
                        .toList();
        Instant firstState = null;
        Instant entered = null;
        Instant exited = null;
        for (HistoryEvent event : events) {
            String type = event.typeAsString();
            if (firstState == null && type.endsWith("StateEntered")) {
                firstState = event.timestamp();
            }
            if (type.equals("TaskStateEntered")
                    && STATUS_WRITE_STATE.equals(
                            event.stateEnteredEventDetails().name())) {
                entered = event.timestamp();
            }
            if (type.equals("TaskStateExited")
                    && STATUS_WRITE_STATE.equals(event.stateExitedEventDetails().name())) {
                exited = event.timestamp();
            }
        }
        if (firstState == null || entered == null || exited == null) {
            throw new IllegalStateException(
                    executionArn + " has no first state or no " + STATUS_WRITE_STATE + " in its history");
        }
        return new ServerTimeline(accepted, itemWritten, started, firstState, entered, exited);
    }

    /** From the API's 201 to the status write done: what a player waits for. */
    long totalMillis() {
        return statusWriteExited.toEpochMilli() - accepted.toEpochMilli();
    }

    /** Item written to StartExecution accepted: the poller's wait, the batch, the handler, the call. */
    long streamPickupMillis() {
        return executionStarted.toEpochMilli() - itemWritten.toEpochMilli();
    }

    /** StartExecution accepted to the first state entered: the engine picking the execution up. */
    long executionStartMillis() {
        return firstState.toEpochMilli() - executionStarted.toEpochMilli();
    }

    /** First state to the status-write task: the workflow's own work (stack create and its polls). */
    long workflowMillis() {
        return statusWriteEntered.toEpochMilli() - firstState.toEpochMilli();
    }

    /** The status-write task, entered to exited. */
    long statusWriteMillis() {
        return statusWriteExited.toEpochMilli() - statusWriteEntered.toEpochMilli();
    }
}
