package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * The whole flow against a real emulator process: HTTP requests to the local gateway, real stream records
 * through the poller and the stream handler, real executions of the state machines from
 * {@code statemachines/}, real stacks from {@code templates/game-server.yaml}. The system is driven only
 * through HTTP and observed only through the emulator's AWS APIs.
 */
class EndToEndIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static TestEnvironment environment;
    private static ApiClient alice;
    private static CloudFormationClient cloudFormation;
    private static SfnClient sfn;

    @BeforeAll
    static void start() {
        environment = TestEnvironment.start("end-to-end");
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
        cloudFormation = environment.aws().cloudFormation();
        sfn = environment.aws().sfn();
    }

    @AfterAll
    static void stop() {
        if (environment != null) { // null when the emulator could not be had
            environment.close();
        }
    }

    @Test
    void createReachesActiveWithTheConfigAsStackParameters() {
        // WHEN
        ApiClient.Response created =
                alice.create("{\"difficulty\": \"easy\", \"player_count\": 4, \"seed\": \"e2e-1\"}");

        // THEN
        assertEquals(201, created.status());
        String id = created.body().path("gameserver_id").asText();
        JsonNode active = awaitStatus(id, "ACTIVE");
        assertEquals(1, active.path("observed_generation").asLong());
        Map<String, AttributeValue> stored = environment.storedItem("alice", id);
        assertTrue(stored.get("execution_arn").s().endsWith(":" + id + "-create-g1"));
        Stack stack = stack(id);
        assertEquals(StackStatus.CREATE_COMPLETE, stack.stackStatus());
        assertEquals(stored.get("stack_id").s(), stack.stackId());
        assertEquals(Map.of("Difficulty", "easy", "PlayerCount", "4", "Seed", "e2e-1"), configParameters(stack));
    }

    @Test
    void updateChangesTheStackAndConverges() {
        String id = alice.create("{\"difficulty\": \"normal\", \"player_count\": 2}")
                .body()
                .path("gameserver_id")
                .asText();
        awaitStatus(id, "ACTIVE");

        // WHEN
        ApiClient.Response updated = alice.update(id, "{\"difficulty\": \"hard\", \"player_count\": 12}");

        // THEN
        assertEquals(200, updated.status());
        assertEquals("UPDATE_PENDING", updated.body().path("status").asText());
        JsonNode active = Await.until(
                DEADLINE,
                id + " ACTIVE at generation 2",
                () -> alice.get(id).body(),
                body -> "ACTIVE".equals(body.path("status").asText())
                        && body.path("observed_generation").asLong() == 2);
        assertEquals(
                active.path("generation").asLong(),
                active.path("observed_generation").asLong());
        Map<String, String> parameters = configParameters(stack(id));
        assertEquals("hard", parameters.get("Difficulty"));
        assertEquals("12", parameters.get("PlayerCount"));
    }

    @Test
    void deleteRemovesTheStackAndTheItem() {
        String id = alice.create("{\"difficulty\": \"peaceful\", \"player_count\": 1}")
                .body()
                .path("gameserver_id")
                .asText();
        awaitStatus(id, "ACTIVE");
        String stackId = stack(id).stackId();

        // WHEN
        ApiClient.Response deleted = alice.delete(id);

        // THEN
        assertEquals(202, deleted.status());
        Await.until(DEADLINE, id + " gone from the API", () -> alice.get(id).status(), status -> status == 404);
        assertEquals(StackStatus.DELETE_COMPLETE, stackById(stackId).stackStatus());
        assertEquals(
                List.of(id + "-delete-g1"),
                executionNames(environment.controlPlane().resources().deprovisionArn(), id));
    }

    @Test
    void createImmediatelyFollowedByDeleteLeavesNoStack() {
        // WHEN
        String id = alice.create("{\"difficulty\": \"easy\", \"player_count\": 3}")
                .body()
                .path("gameserver_id")
                .asText();
        assertEquals(202, alice.delete(id).status());

        // THEN the item goes, both executions end and no live stack is left behind
        Await.until(DEADLINE, id + " gone from the API", () -> alice.get(id).status(), status -> status == 404);
        Await.until(
                DEADLINE,
                "executions of " + id + " finished",
                () -> executions(id),
                list -> list.size() == 2
                        && list.stream().noneMatch(e -> e.statusAsString().equals("RUNNING")));
        assertFalse(liveStackExists(id), "no stack left for " + id);
    }

    @Test
    void eachCloudFormationTaskRunsWithThePlacementRole() {
        String id = alice.create("{\"difficulty\": \"normal\", \"player_count\": 5}")
                .body()
                .path("gameserver_id")
                .asText();
        awaitStatus(id, "ACTIVE");
        Map<String, AttributeValue> stored = environment.storedItem("alice", id);

        List<HistoryEvent> cloudFormationTasks =
                sfn
                        .getExecutionHistoryPaginator(
                                r -> r.executionArn(stored.get("execution_arn").s()))
                        .events()
                        .stream()
                        .filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED)
                        .filter(e -> e.taskScheduledEventDetails()
                                        .resource()
                                        .startsWith("arn:aws:states:::aws-sdk:cloudformation:")
                                || e.taskScheduledEventDetails().resourceType().equals("aws-sdk:cloudformation"))
                        .toList();

        assertFalse(cloudFormationTasks.isEmpty());
        String placementRole = stored.get("placement").m().get("role_arn").s();
        for (HistoryEvent task : cloudFormationTasks) {
            assertEquals(
                    placementRole,
                    task.taskScheduledEventDetails().taskCredentials().roleArn(),
                    task.taskScheduledEventDetails().resource());
        }
    }

    @Test
    void badRequestsAreRefusedAtTheGatewayAndWriteNothing() {
        int itemsBefore = itemCount();

        ApiClient.Response anonymous = new ApiClient(environment.controlPlane().apiUrl(), null)
                .create("{\"difficulty\": \"easy\", \"player_count\": 4}");
        ApiClient.Response emptyIdentity = new ApiClient(
                        environment.controlPlane().apiUrl(), "")
                .create("{\"difficulty\": \"easy\", \"player_count\": 4}");
        ApiClient.Response tooLongIdentity = new ApiClient(
                        environment.controlPlane().apiUrl(), "a".repeat(129))
                .create("{\"difficulty\": \"easy\", \"player_count\": 4}");
        ApiClient.Response malformed = alice.send("POST", "/gameservers", "{\"config\": {\"difficulty\": ");
        ApiClient.Response outOfRange = alice.create("{\"difficulty\": \"easy\", \"player_count\": 21}");
        ApiClient.Response noRoute = alice.send("PUT", "/gameservers", "{}");

        for (ApiClient.Response unidentified : List.of(anonymous, emptyIdentity, tooLongIdentity)) {
            assertEquals(401, unidentified.status(), unidentified.body().toString());
            assertEquals("unauthorized", unidentified.body().path("error").asText());
            assertFalse(unidentified.body().path("message").asText().isBlank());
        }
        assertEquals(400, malformed.status());
        assertEquals("invalid_json", malformed.body().path("error").asText());
        assertEquals(400, outOfRange.status());
        assertEquals(
                "config.player_count must be between 1 and 20",
                outOfRange.body().path("message").asText());
        assertEquals(404, noRoute.status());
        assertEquals(itemsBefore, itemCount());
    }

    private static int itemCount() {
        try (var dynamoDb = environment.aws().dynamoDb()) {
            return dynamoDb.scan(r -> r.tableName(LocalResources.TABLE_NAME).select("COUNT"))
                    .count();
        }
    }

    private static JsonNode awaitStatus(String id, String status) {
        return Await.until(
                DEADLINE,
                id + " reaches " + status,
                () -> alice.get(id).body(),
                body -> status.equals(body.path("status").asText()));
    }

    static Stack stack(String id) {
        return cloudFormation
                .describeStacks(r -> r.stackName("stackfleet-" + id))
                .stacks()
                .get(0);
    }

    private static Stack stackById(String stackId) {
        return cloudFormation.describeStacks(r -> r.stackName(stackId)).stacks().get(0);
    }

    private static boolean liveStackExists(String id) {
        try {
            return stack(id).stackStatus() != StackStatus.DELETE_COMPLETE;
        } catch (CloudFormationException e) {
            if (e.getMessage().contains("does not exist")) {
                return false;
            }
            throw e;
        }
    }

    static Map<String, String> configParameters(Stack stack) {
        return stack.parameters().stream()
                .filter(p -> List.of("Difficulty", "PlayerCount", "Seed").contains(p.parameterKey()))
                .collect(Collectors.toMap(Parameter::parameterKey, Parameter::parameterValue));
    }

    private static List<ExecutionListItem> executions(String id) {
        var resources = environment.controlPlane().resources();
        return List.of(resources.provisionArn(), resources.deprovisionArn()).stream()
                .flatMap(arn -> sfn.listExecutionsPaginator(r -> r.stateMachineArn(arn)).executions().stream())
                .filter(e -> e.name().startsWith(id + "-"))
                .toList();
    }

    private static List<String> executionNames(String stateMachineArn, String id) {
        return sfn.listExecutionsPaginator(r -> r.stateMachineArn(stateMachineArn)).executions().stream()
                .map(ExecutionListItem::name)
                .filter(name -> name.startsWith(id + "-"))
                .toList();
    }
}
