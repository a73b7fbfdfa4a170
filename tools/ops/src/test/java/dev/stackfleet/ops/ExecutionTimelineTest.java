package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

class ExecutionTimelineTest {

    private static final Instant START = Instant.parse("2025-11-27T08:00:00Z");
    private final List<HistoryEvent> events = new ArrayList<>();

    @Test
    void givenATaskThatFailedTwiceAndWasCaught_whenRead_thenTheFailureNamesTheTaskAndItsOwnError() {
        event(0, HistoryEventType.EXECUTION_STARTED, b -> b);
        event(1, HistoryEventType.TASK_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("CreateStack")));
        event(2, HistoryEventType.TASK_SCHEDULED, b -> b);
        event(
                3,
                HistoryEventType.TASK_FAILED,
                b -> b.taskFailedEventDetails(d -> d.error("Throttling").cause("slow")));
        event(5, HistoryEventType.TASK_SCHEDULED, b -> b);
        event(
                6,
                HistoryEventType.TASK_FAILED,
                b -> b.taskFailedEventDetails(
                        d -> d.error("cloudformation.AccessDenied").cause("no role")));
        event(7, HistoryEventType.TASK_STATE_EXITED, b -> b.stateExitedEventDetails(d -> d.name("CreateStack")));
        event(7, HistoryEventType.FAIL_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("CreateFailed")));
        event(
                8,
                HistoryEventType.EXECUTION_FAILED,
                b -> b.executionFailedEventDetails(
                        d -> d.error("StackCreateFailed").cause("see the task")));

        ExecutionTimeline timeline = ExecutionTimeline.of(events);

        assertEquals(2, timeline.states().size());
        ExecutionTimeline.StateVisit create = timeline.states().get(0);
        assertEquals("Task", create.type());
        assertEquals(2, create.attempts());
        assertEquals(Duration.ofSeconds(6), create.duration());
        assertNull(timeline.states().get(1).exited());
        ExecutionTimeline.Failure failure = timeline.failure().orElseThrow();
        assertEquals("CreateStack", failure.state());
        assertEquals(2, failure.attempts());
        assertEquals("StackCreateFailed", failure.error());
        assertEquals("cloudformation.AccessDenied", failure.taskError());
        assertEquals("no role", failure.taskCause());
        assertEquals(
                new FailStateEnd("CreateFailed", "StackCreateFailed"),
                timeline.failStateEnd().orElseThrow());
    }

    @Test
    void givenAFailStateReachedWithoutATaskError_whenRead_thenTheFailStateIsTheFailingState() {
        event(0, HistoryEventType.CHOICE_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("IsStable")));
        event(1, HistoryEventType.CHOICE_STATE_EXITED, b -> b.stateExitedEventDetails(d -> d.name("IsStable")));
        event(1, HistoryEventType.FAIL_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("Unstable")));
        event(
                2,
                HistoryEventType.EXECUTION_FAILED,
                b -> b.executionFailedEventDetails(d -> d.error("StackUnstable").cause("ROLLBACK_FAILED")));

        ExecutionTimeline.Failure failure =
                ExecutionTimeline.of(events).failure().orElseThrow();

        assertEquals("Unstable", failure.state());
        assertNull(failure.taskError());
    }

    @Test
    void givenASucceededExecution_whenRead_thenThereIsNoFailure() {
        event(0, HistoryEventType.PASS_STATE_ENTERED, b -> b.stateEnteredEventDetails(d -> d.name("Done")));
        event(1, HistoryEventType.PASS_STATE_EXITED, b -> b.stateExitedEventDetails(d -> d.name("Done")));
        event(1, HistoryEventType.EXECUTION_SUCCEEDED, b -> b);

        ExecutionTimeline timeline = ExecutionTimeline.of(events);

        assertTrue(timeline.failure().isEmpty());
        assertTrue(timeline.failStateEnd().isEmpty());
        assertEquals("Pass", timeline.states().get(0).type());
    }

    private void event(
            int second, HistoryEventType type, java.util.function.UnaryOperator<HistoryEvent.Builder> details) {
        events.add(details.apply(HistoryEvent.builder()
                        .id((long) events.size() + 1)
                        .type(type)
                        .timestamp(START.plusSeconds(second)))
                .build());
    }
}
