package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** The redrive-or-replay rule on history events shaped as stackfleet's workflows write them. */
class FailStateEndTest {

    private static final Instant START = Instant.parse("2025-11-27T08:00:00Z");
    private final List<HistoryEvent> events = new ArrayList<>();

    @Test
    void givenACaughtErrorThatEndedAtFailProvision_whenRead_thenItEndedAtItsFailState() {
        caughtTaskFailure();
        event(HistoryEventType.TASK_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("RecordFailed")));
        event(HistoryEventType.TASK_STATE_EXITED, b -> b.stateExitedEventDetails(d -> d.name("RecordFailed")));
        event(HistoryEventType.FAIL_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("FailProvision")));
        event(
                HistoryEventType.EXECUTION_FAILED,
                b -> b.executionFailedEventDetails(
                        d -> d.error("ProvisionFailed").cause("CreateStack failed")));

        FailStateEnd end = FailStateEnd.of(events).orElseThrow();

        assertEquals(new FailStateEnd("FailProvision", "ProvisionFailed"), end);
        assertTrue(
                end.explanation().startsWith("the workflow recorded this failure (FailProvision: ProvisionFailed)"),
                end.explanation());
    }

    @Test
    void givenATaskThatFailedOutsideTheCatchPaths_whenRead_thenItDidNotEndAtAFailState() {
        caughtTaskFailure();
        event(HistoryEventType.TASK_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("RecordActive")));
        event(HistoryEventType.TASK_SCHEDULED, b -> b);
        event(
                HistoryEventType.TASK_FAILED,
                b -> b.taskFailedEventDetails(d -> d.error("States.Runtime").cause("bad path")));
        event(
                HistoryEventType.EXECUTION_FAILED,
                b -> b.executionFailedEventDetails(
                        d -> d.error("States.Runtime").cause("bad path")));

        assertTrue(FailStateEnd.of(events).isEmpty());
    }

    @Test
    void givenTheNewestEventsFirstAsReverseOrderReturnsThem_whenRead_thenTheRuleIsTheSame() {
        event(HistoryEventType.FAIL_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("FailDeprovision")));
        event(HistoryEventType.EXECUTION_FAILED, b -> b.executionFailedEventDetails(d -> d.error("DeprovisionFailed")));

        assertEquals(
                "FailDeprovision",
                FailStateEnd.of(events.reversed()).orElseThrow().state());
    }

    @Test
    void givenAnExecutionThatTimedOutOrWasAbortedInsideItsFailState_whenRead_thenItDidNotEndAtAFailState() {
        event(HistoryEventType.FAIL_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("FailProvision")));
        event(HistoryEventType.EXECUTION_ABORTED, b -> b);

        assertTrue(FailStateEnd.of(events).isEmpty());
        assertTrue(FailStateEnd.of(events.subList(0, 1)).isEmpty());
    }

    /** A task that failed and was caught, as every stackfleet failure begins. */
    private void caughtTaskFailure() {
        event(HistoryEventType.EXECUTION_STARTED, b -> b);
        event(HistoryEventType.TASK_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("CreateStack")));
        event(HistoryEventType.TASK_SCHEDULED, b -> b);
        event(
                HistoryEventType.TASK_FAILED,
                b -> b.taskFailedEventDetails(
                        d -> d.error("cloudformation.AccessDenied").cause("no role")));
        event(HistoryEventType.TASK_STATE_EXITED, b -> b.stateExitedEventDetails(d -> d.name("CreateStack")));
    }

    private void event(HistoryEventType type, UnaryOperator<HistoryEvent.Builder> details) {
        events.add(details.apply(HistoryEvent.builder()
                        .id((long) events.size() + 1)
                        .type(type)
                        .timestamp(START.plusSeconds(events.size())))
                .build());
    }
}
