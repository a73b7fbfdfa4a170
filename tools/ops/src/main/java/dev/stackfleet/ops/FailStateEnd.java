package dev.stackfleet.ops;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * The rule that decides between redrive and replay: an execution whose history ends with one of its
 * workflow's Fail states ({@code FailStateEntered}, then {@code ExecutionFailed}) ended after recording its
 * failure. stackfleet's workflows catch the errors they expect, write {@code *_FAILED} and a reason to the
 * item, and then enter {@code FailProvision} or {@code FailDeprovision}. RedriveExecution resumes an execution
 * at the state that failed, which for these is the Fail state itself: the redrive fails again at once and
 * changes nothing. Such executions are replayed. An execution that failed at any other state (an error
 * outside the Catch paths, {@code States.Runtime}), timed out or was aborted did not record its outcome, and
 * redrive resumes it where it stopped.
 *
 * @param state the Fail state the execution ended in, e.g. {@code FailProvision}
 * @param error the execution's error, e.g. {@code ProvisionFailed}
 */
record FailStateEnd(String state, String error) {

    /** The history events the rule needs: the last one and the one before it. */
    static final int EVENTS = 2;

    /**
     * Reads the end of an execution's history: one GetExecutionHistory call for the newest {@value #EVENTS}
     * events. (The emulator ignores {@code reverseOrder} and {@code maxResults} and returns the whole history,
     * oldest first; {@link #of} orders by event id, so both answers give the same result.)
     */
    static Optional<FailStateEnd> read(SfnClient sfn, String executionArn) {
        return of(AwsCall.call(
                "states:GetExecutionHistory",
                executionArn,
                () -> sfn.getExecutionHistory(b -> b.executionArn(executionArn)
                                .reverseOrder(true)
                                .maxResults(EVENTS)
                                .includeExecutionData(false))
                        .events()));
    }

    /**
     * Applies the rule to history events, in any order: the execution ended at a Fail state if its newest event
     * is {@code ExecutionFailed} and the one before it {@code FailStateEntered}.
     */
    static Optional<FailStateEnd> of(List<HistoryEvent> events) {
        List<HistoryEvent> newestFirst = events.stream()
                .sorted(Comparator.comparing(HistoryEvent::id).reversed())
                .limit(EVENTS)
                .toList();
        if (newestFirst.size() < EVENTS
                || newestFirst.get(0).type() != HistoryEventType.EXECUTION_FAILED
                || newestFirst.get(1).type() != HistoryEventType.FAIL_STATE_ENTERED) {
            return Optional.empty();
        }
        return Optional.of(new FailStateEnd(
                newestFirst.get(1).stateEnteredEventDetails().name(),
                newestFirst.get(0).executionFailedEventDetails().error()));
    }

    /** Why redrive cannot help, for messages. */
    String explanation() {
        return "the workflow recorded this failure (" + state + ": " + error + ") and ended; redrive would only"
                + " re-run its Fail state";
    }
}
