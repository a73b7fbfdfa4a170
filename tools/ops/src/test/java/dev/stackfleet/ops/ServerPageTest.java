package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerPageTest {

    private static final Instant T0 = Instant.parse("2026-11-30T21:00:00Z");
    private static final JsonNode DEFINITION = Json.parse("""
            {"StartAt": "CreateStack", "States": {
              "CreateStack": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:cloudformation:createStack"},
              "DescribeStack": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:cloudformation:describeStacks"},
              "DeleteStack": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:cloudformation:deleteStack"}
            }}
            """, "the definition");

    @Test
    void givenStackEvents_whenPlaced_thenEachIsBesideTheLatestStackWriteEnteredBeforeIt() {
        ExecutionTimeline.StateVisit create = visit("CreateStack", 1);
        ExecutionTimeline.StateVisit describe = visit("DescribeStack", 2);
        ExecutionTimeline.StateVisit delete = visit("DeleteStack", 10);
        ExecutionTimeline timeline = new ExecutionTimeline(
                List.of(create, describe, delete, visit("DescribeStack", 11)), Optional.empty(), Optional.empty());
        WorkloadStack.Event earlier = event(-100, "CREATE_COMPLETE"); // an earlier execution's
        WorkloadStack.Event failed = event(3, "CREATE_FAILED");
        WorkloadStack.Event deleted = event(12, "DELETE_COMPLETE");
        WorkloadStack.Event later = event(120, "CREATE_IN_PROGRESS"); // after the execution stopped
        WorkloadStack stack = new WorkloadStack(
                "123456789012",
                "us-east-1",
                "role",
                "stack",
                "DELETE_COMPLETE",
                null,
                List.of(later, deleted, failed, earlier),
                null);
        Execution execution = new Execution(
                "gs-x-create-g1", "arn", "FAILED", T0, T0.plusSeconds(60), "{}", null, null, 0, null, null);

        var caused = ServerPage.causedEvents(execution, timeline, stack, Optional.of(DEFINITION), T0.plusSeconds(600));

        assertEquals(Map.of(create, List.of(failed), delete, List.of(deleted)), caused);
    }

    private static ExecutionTimeline.StateVisit visit(String state, int second) {
        return new ExecutionTimeline.StateVisit(
                state, "Task", T0.plusSeconds(second), T0.plusSeconds(second + 1), 1, null, null);
    }

    private static WorkloadStack.Event event(int second, String status) {
        return new WorkloadStack.Event(
                T0.plusSeconds(second), "GameServerParameter", "AWS::SSM::Parameter", status, null);
    }
}
