package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.core.LoggingLambdaContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * What goes wrong, against a real emulator: redelivered stream records and a stack that cannot be created.
 * Each test gets an emulator of its own, since it changes shared state.
 */
class FailuresIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private TestEnvironment environment;
    private ApiClient alice;

    @BeforeEach
    void start() {
        environment = TestEnvironment.start("failures");
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
    }

    @AfterEach
    void stop() {
        if (environment != null) { // null when the emulator could not be had
            environment.close();
        }
    }

    @Test
    void aDuplicatedStreamBatchStartsOneExecutionPerIntent() {
        // GIVEN a server created, changed and deleted, its executions all done
        String id = alice.create("{\"difficulty\": \"easy\", \"player_count\": 2}")
                .body()
                .path("gameserver_id")
                .asText();
        Await.until(
                DEADLINE,
                id + " ACTIVE",
                () -> alice.get(id).body().path("status").asText(),
                "ACTIVE"::equals);
        alice.update(id, "{\"player_count\": 3}");
        Await.until(
                DEADLINE,
                id + " converged",
                () -> alice.get(id).body(),
                body -> body.path("observed_generation").asLong() == 2);
        alice.delete(id);
        Await.until(DEADLINE, id + " gone", () -> alice.get(id).status(), status -> status == 404);
        Map<String, Long> before = executionsPerName(id);

        // WHEN every stream record of the table is delivered again, twice, as one batch
        DynamodbEvent batch = environment.allStreamRecords();
        StreamsEventResponse first = environment
                .controlPlane()
                .streamHandler()
                .handleRequest(
                        batch,
                        new LoggingLambdaContext("stackfleet-stream", line -> LocalLog.line("redelivery", line)));
        StreamsEventResponse second = environment
                .controlPlane()
                .streamHandler()
                .handleRequest(
                        batch,
                        new LoggingLambdaContext("stackfleet-stream", line -> LocalLog.line("redelivery", line)));

        // THEN nothing new starts: one execution per intent, each once
        assertTrue(
                batch.getRecords().size() >= 4, "records: " + batch.getRecords().size());
        assertEquals(List.of(), first.getBatchItemFailures());
        assertEquals(List.of(), second.getBatchItemFailures());
        assertEquals(Map.of(id + "-create-g1", 1L, id + "-update-g2", 1L, id + "-delete-g2", 1L), before);
        assertEquals(before, executionsPerName(id));
    }

    @Test
    void aStackThatCannotBeCreatedEndsCreateFailedWithAReason() {
        // GIVEN the game-server template in the template store is broken
        environment.releaseBrokenGameServerTemplate();

        // WHEN
        String id = alice.create("{\"difficulty\": \"hard\", \"player_count\": 6}")
                .body()
                .path("gameserver_id")
                .asText();

        // THEN operators find the cause and the execution in the table
        JsonNode failed = Await.until(
                DEADLINE,
                id + " CREATE_FAILED",
                () -> alice.get(id).body(),
                body -> "CREATE_FAILED".equals(body.path("status").asText()));
        Map<String, AttributeValue> stored = environment.storedItem("alice", id);
        String cause = stored.get("status_reason").s();
        assertTrue(cause.contains(TestEnvironment.UNPASSED_PARAMETER), cause);
        assertTrue(stored.get("execution_arn").s().endsWith(":" + id + "-create-g1"), stored.toString());
        // AND the player, through the gateway, gets a safe reason and nothing of where or how it ran
        assertEquals(
                "The server could not be created. Try again, or delete it; the operators have the details.",
                failed.path("status_reason").asText());
        for (JsonNode view :
                List.of(failed, alice.send("GET", "/gameservers", null).body())) {
            String json = view.toString();
            for (String hidden : List.of(
                    "placement",
                    "execution_arn",
                    "stack_id",
                    LocalAws.ACCOUNT_ID,
                    "arn:",
                    TestEnvironment.UNPASSED_PARAMETER)) {
                assertFalse(json.contains(hidden), hidden + " in " + json);
            }
        }
    }

    private Map<String, Long> executionsPerName(String id) {
        var resources = environment.controlPlane().resources();
        try (var sfn = environment.aws().sfn()) {
            return List.of(resources.provisionArn(), resources.deprovisionArn()).stream()
                    .flatMap(arn -> sfn.listExecutionsPaginator(r -> r.stateMachineArn(arn)).executions().stream())
                    .map(ExecutionListItem::name)
                    .filter(name -> name.startsWith(id + "-"))
                    .collect(Collectors.groupingBy(name -> name, Collectors.counting()));
        }
    }
}
