package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.Intent;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * The event path on the emulator: a workflow's wait for its stack is released by the stack-event callback
 * (started by local mode's stand-in for EventBridge, {@link LocalStackEvents}) with SendTaskSuccess, not by its
 * timeout. The executions get a fallback timeout of a minute, so a wait that ends within the test's deadline was
 * ended by the event. The stream poller is off: the test starts the executions itself.
 */
class StackEventsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(40);
    /** Far longer than the stand-in needs (a fifth of a second per look): only the event can end a wait in time. */
    private static final int FALLBACK_SECONDS = 60;

    private static TestEnvironment environment;
    private static ApiClient alice;
    private static SfnClient sfn;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        environment = TestEnvironment.start("stack-events", new LocalControlPlane.Options(0, false, null));
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
        sfn = environment.aws().sfn();
        dynamo = environment.aws().dynamoDb();
    }

    @AfterAll
    static void stop() {
        if (sfn != null) {
            sfn.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void theStackEventReleasesTheCreateAndTheDeleteWaitNotTheTimeout() {
        // GIVEN a server the API accepted (its workflows are started by hand, with a one-minute fallback)
        String id = alice.create("{\"difficulty\": \"easy\", \"player_count\": 2}")
                .body()
                .path("gameserver_id")
                .asText();

        // WHEN its create runs
        DescribeExecutionResponse create = awaitEnd(
                start(Intent.CREATE, id, environment.controlPlane().resources().provisionArn()));

        // THEN it converged, and its one wait was ended by the callback's SendTaskSuccess
        assertEquals(ExecutionStatus.SUCCEEDED, create.status(), create.cause());
        assertTrue(create.output().matches("(?s).*\"outcome\":\\s*\"ACTIVE\".*"), create.output());
        assertReleasedByTheEvent(create, 1);

        // WHEN its delete runs (the API records the request; the deprovision is started by hand again)
        assertEquals(202, alice.delete(id).status());
        DescribeExecutionResponse delete = awaitEnd(
                start(Intent.DELETE, id, environment.controlPlane().resources().deprovisionArn()));

        // THEN the stack is gone, and the wait for its deletion was ended by the event too
        assertEquals(ExecutionStatus.SUCCEEDED, delete.status(), delete.cause());
        assertTrue(delete.output().matches("(?s).*\"outcome\":\\s*\"DELETED\".*"), delete.output());
        assertReleasedByTheEvent(delete, 1);

        // AND the callback forgot the token it spent
        Await.until(
                DEADLINE,
                "the stack-waits entry of " + id + " deleted",
                () -> dynamo.getItem(r -> r.tableName(LocalResources.STACK_WAITS_TABLE_NAME)
                                .key(Map.of(
                                        LocalResources.STACK_WAITS_KEY,
                                        AttributeValue.fromS(GameServer.STACK_NAME_PREFIX + id)))
                                .consistentRead(true))
                        .hasItem(),
                present -> !present);
    }

    private static void assertReleasedByTheEvent(DescribeExecutionResponse execution, int waits) {
        List<HistoryEvent> history =
                sfn.getExecutionHistoryPaginator(r -> r.executionArn(execution.executionArn())).events().stream()
                        .toList();
        List<HistoryEventType> types = history.stream().map(HistoryEvent::type).toList();
        long entered = history.stream()
                .filter(e -> e.type() == HistoryEventType.TASK_STATE_ENTERED)
                .filter(e ->
                        "AwaitStackEvent".equals(e.stateEnteredEventDetails().name()))
                .count();
        assertEquals(waits, entered, "event waits of " + execution.name());
        assertEquals(
                0,
                types.stream().filter(t -> t == HistoryEventType.TASK_TIMED_OUT).count(),
                "no wait timed out");
        assertTrue(
                history.stream()
                        .filter(e -> e.type() == HistoryEventType.TASK_SUCCEEDED)
                        .anyMatch(e -> e.taskSucceededEventDetails().output().contains("status-details")),
                "the wait's output is the stack event the callback passed on: " + types);
        assertTrue(
                Duration.between(execution.startDate(), execution.stopDate()).toSeconds() < FALLBACK_SECONDS,
                "ended before any fallback timeout");
    }

    /** Starts the server's workflow for its first generation, as the stream Lambda would but with the long fallback. */
    private static String start(Intent intent, String id, String stateMachineArn) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(LocalResources.TABLE_NAME)
                        .consistentRead(true)
                        .key(Map.of("owner", AttributeValue.fromS("alice"), "gameserver_id", AttributeValue.fromS(id))))
                .item();
        String input = ExecutionInput.fromItem(
                        intent, item, new ExecutionInput.Poll(FALLBACK_SECONDS, FALLBACK_SECONDS))
                .toJson();
        return sfn.startExecution(r -> r.stateMachineArn(stateMachineArn)
                        .name(id + "-" + intent.name().toLowerCase(Locale.ROOT) + "-g1")
                        .input(input))
                .executionArn();
    }

    private static DescribeExecutionResponse awaitEnd(String executionArn) {
        return Await.until(
                DEADLINE,
                executionArn + " ended",
                () -> sfn.describeExecution(r -> r.executionArn(executionArn)),
                e -> e.status() != ExecutionStatus.RUNNING);
    }
}
