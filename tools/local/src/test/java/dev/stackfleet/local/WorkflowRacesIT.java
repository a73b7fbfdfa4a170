package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.Release;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Executions of one server's generations racing each other on the emulator, with the interleaving decided by
 * the test: the stream poller and the API are stopped, the test writes the item and starts the provision
 * executions itself (with the names and input the stream Lambda would give them).
 *
 * <p>The emulator runs CreateStack synchronously, so it cannot stop an execution between the DescribeStacks
 * that saw no stack and its CreateStack: the exact AWS interleaving (update-g2's CreateStack answered
 * AlreadyExists because create-g1 created the stack in that gap) is covered by the workflow path tests
 * ({@code statemachines/test}). Here the older generation's stack takes the place of update-g2's own while
 * update-g2 waits for its create, which is what AlreadyExists tells on AWS: the stack is not this execution's.
 * Each test gets an emulator of its own.
 */
class WorkflowRacesIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String GENERATION_TAG = "stackfleet:generation";
    private static final Map<String, Object> G1 = Map.of("difficulty", "easy", "player_count", 2, "seed", "g1-seed");
    private static final Map<String, Object> G2 = Map.of("difficulty", "hard", "player_count", 8, "seed", "g2-seed");

    private final ObjectMapper json = new ObjectMapper();
    private TestEnvironment environment;
    private DynamoDbClient dynamoDb;
    private CloudFormationClient cloudFormation;
    private SfnClient sfn;

    @BeforeEach
    void start() {
        environment = TestEnvironment.start("workflow-races");
        environment.controlPlane().close(); // no API, no stream poller: only the executions this test starts
        dynamoDb = environment.aws().dynamoDb();
        cloudFormation = environment.aws().cloudFormation();
        sfn = environment.aws().sfn();
    }

    @AfterEach
    void stop() {
        if (environment != null) { // null when the emulator could not be had
            dynamoDb.close();
            cloudFormation.close();
            sfn.close();
            environment.close();
        }
    }

    @Test
    void anUpdateWhoseStackTurnsOutToBeTheOlderGenerationsConvergesItAndRecordsOnlyTheNewer() {
        // GIVEN a server at generation 2 whose stack does not exist yet
        String id = newId();
        putItem(id, 2, G2);

        // WHEN update-g2 creates the stack, and while it waits for its create, create-g1's stack (generation 1's
        // config and tag) is what the server's stack name holds
        String update = startProvision(id, "update", 2, G2, 4);
        awaitStackCreatedBy(update);
        assertEquals("hard", configParameters(liveStack(id)).get("Difficulty"), "update-g2 created its stack");
        cloudFormation.deleteStack(r -> r.stackName(stackName(id)));
        createOutOfBand(id, 1, G1);
        Stack olderGenerations = liveStack(id);
        assertEquals("1", generationTag(olderGenerations), "the stack now runs generation 1");
        DescribeExecutionResponse done = awaitEnd(update);

        // THEN update-g2 found the stack on generation 1, updated it to generation 2, and only then recorded ACTIVE
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.toString());
        JsonNode output = readJson(done.output());
        assertEquals("ACTIVE", output.path("outcome").asText(), output.toString());
        assertEquals(2, output.path("generation").asLong());
        assertServerRunsGeneration2(id);
        assertEquals(olderGenerations.stackId(), liveStack(id).stackId(), "the stack was updated, not replaced");
        List<String> states = statesEntered(update);
        assertTrue(
                states.contains("RestartForStaleGeneration"),
                "the generation check saw generation 1 before ACTIVE was written: " + states);
        assertTrue(
                states.lastIndexOf("UpdateStack") > states.indexOf("RestartForStaleGeneration")
                        && states.lastIndexOf("UpdateStack") < states.lastIndexOf("RecordActive"),
                states.toString());
    }

    @Test
    void createOfGenerationOneAndUpdateToGenerationTwoRacingOnAnAbsentStackEndOnGenerationTwo() {
        // GIVEN servers at generation 1 without a stack; the change to generation 2 lands at a different point of
        // each one's create-g1: before it claims the server, right after its claim, once its stack exists
        List<String> moments = List.of("before the claim", "after the claim", "after the create");
        Map<String, String[]> executions = new HashMap<>();
        Map<String, String> momentOf = new HashMap<>();

        // WHEN create-g1 starts, the desired state moves to generation 2, and update-g2 starts (once create-g1 is past
        // its CreateStack, see awaitPastItsCreateStack)
        for (String moment : moments) {
            String id = newId();
            momentOf.put(id, moment);
            putItem(id, 1, G1);
            String create = startProvision(id, "create", 1, G1, 1);
            if (!moment.equals("before the claim")) {
                Await.until(
                        DEADLINE,
                        id + " claimed by create-g1",
                        () -> item(id).get("status").s(),
                        "CREATING"::equals);
            }
            if (moment.equals("after the create")) {
                awaitStackCreatedBy(create);
            }
            putItem(id, 2, G2);
            awaitPastItsCreateStack(create);
            String update = startProvision(id, "update", 2, G2, 1);
            executions.put(id, new String[] {create, update});
        }

        // THEN whatever the interleaving, each server ends ACTIVE on generation 2 with generation 2's stack
        for (String id : executions.keySet()) {
            DescribeExecutionResponse create = awaitEnd(executions.get(id)[0]);
            DescribeExecutionResponse update = awaitEnd(executions.get(id)[1]);
            assertEquals(ExecutionStatus.SUCCEEDED, update.status(), update.toString());
            assertEquals("ACTIVE", readJson(update.output()).path("outcome").asText());
            assertEquals(ExecutionStatus.SUCCEEDED, create.status(), create.toString());
            assertTrue(
                    List.of("ACTIVE", "SUPERSEDED_BY_NEWER_GENERATION")
                            .contains(readJson(create.output()).path("outcome").asText()),
                    create.output());
            assertServerRunsGeneration2(id);
            List<String> updateStates = statesEntered(executions.get(id)[1]);
            LocalLog.line(
                    "races",
                    id + " (generation 2 " + momentOf.get(id) + "): create-g1 "
                            + readJson(create.output()).path("outcome").asText() + ", update-g2 "
                            + (updateStates.contains("RestartAfterAlreadyExists")
                                    ? "was answered AlreadyExists, then updated"
                                    : updateStates.contains("UpdateStack")
                                            ? "updated the stack"
                                            : "created the stack"));
        }
    }

    private void assertServerRunsGeneration2(String id) {
        Stack stack = liveStack(id);
        assertTrue(
                List.of(StackStatus.CREATE_COMPLETE, StackStatus.UPDATE_COMPLETE)
                        .contains(stack.stackStatus()),
                stack.toString());
        assertEquals(Map.of("Difficulty", "hard", "PlayerCount", "8", "Seed", "g2-seed"), configParameters(stack));
        assertEquals("2", generationTag(stack), stack.tags().toString());
        Map<String, AttributeValue> item = item(id);
        assertEquals("ACTIVE", item.get("status").s(), item.toString());
        assertEquals("2", item.get("observed_generation").n(), item.toString());
        assertEquals(stack.stackId(), item.get("stack_id").s(), item.toString());
    }

    // ---- the item, the executions and the stack, as the stream Lambda and the workflows make them

    private static String newId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        SecureRandom random = new SecureRandom();
        return "gs-"
                + IntStream.range(0, 20)
                        .mapToObj(i -> String.valueOf(alphabet.charAt(random.nextInt(32))))
                        .collect(Collectors.joining());
    }

    private static String stackName(String id) {
        return "stackfleet-" + id;
    }

    private static String roleArn() {
        return "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":role/" + LocalResources.ACCESS_ROLE;
    }

    /** The item as the API writes it at a generation (a new one, or the change to the next one). */
    private void putItem(String id, int generation, Map<String, Object> config) {
        dynamoDb.putItem(r -> r.tableName(LocalResources.TABLE_NAME)
                .item(Map.of(
                        "owner", AttributeValue.fromS("alice"),
                        "gameserver_id", AttributeValue.fromS(id),
                        "generation", AttributeValue.fromN(Integer.toString(generation)),
                        "config",
                                AttributeValue.fromM(Map.of(
                                        "difficulty", AttributeValue.fromS((String) config.get("difficulty")),
                                        "player_count",
                                                AttributeValue.fromN(config.get("player_count")
                                                        .toString()),
                                        "seed", AttributeValue.fromS((String) config.get("seed")))),
                        "placement",
                                AttributeValue.fromM(Map.of(
                                        "account_id", AttributeValue.fromS(LocalAws.ACCOUNT_ID),
                                        "region", AttributeValue.fromS(LocalAws.REGION.id()),
                                        "role_arn", AttributeValue.fromS(roleArn()))),
                        "stack_name", AttributeValue.fromS(stackName(id)),
                        "created_at", AttributeValue.fromS("2026-11-30T12:00:00Z"),
                        "status", AttributeValue.fromS(generation == 1 ? "CREATE_PENDING" : "UPDATE_PENDING"))));
    }

    private Map<String, AttributeValue> item(String id) {
        return dynamoDb.getItem(r -> r.tableName(LocalResources.TABLE_NAME)
                        .consistentRead(true)
                        .key(Map.of("owner", AttributeValue.fromS("alice"), "gameserver_id", AttributeValue.fromS(id))))
                .item();
    }

    /** The repository's template: the release local mode starts with. */
    private String currentRelease() {
        return Release.of(environment.resources().readGameServerTemplate(), Instant.now())
                .version();
    }

    /** Starts the provision execution the stream Lambda would start for this intent and generation. */
    private String startProvision(
            String id, String intent, int generation, Map<String, Object> config, int pollSeconds) {
        ObjectNode input = json.createObjectNode();
        input.put("intent", intent);
        input.put("owner", "alice");
        input.put("gameserver_id", id);
        input.put("generation", generation);
        input.put("stack_name", stackName(id));
        input.set("config", json.valueToTree(config));
        ObjectNode placement = input.putObject("placement");
        placement.put("account_id", LocalAws.ACCOUNT_ID);
        placement.put("region", LocalAws.REGION.id());
        placement.put("role_arn", roleArn());
        ObjectNode poll = input.putObject("poll");
        poll.put("initial_seconds", pollSeconds);
        poll.put("max_seconds", pollSeconds);
        input.put("release", currentRelease());
        return sfn.startExecution(r -> r.stateMachineArn(
                                environment.controlPlane().resources().provisionArn())
                        .name(id + "-" + intent + "-g" + generation)
                        .input(input.toString()))
                .executionArn();
    }

    private DescribeExecutionResponse awaitEnd(String executionArn) {
        return Await.until(
                DEADLINE,
                executionArn + " ended",
                () -> sfn.describeExecution(r -> r.executionArn(executionArn)),
                e -> e.status() != ExecutionStatus.RUNNING);
    }

    /**
     * Waits in the execution's history, not by describing the stack: a DescribeStacks that races the emulator's
     * CreateStack can make that create answer an error, which the workflow then handles on another path.
     */
    private void awaitStackCreatedBy(String executionArn) {
        Await.until(
                DEADLINE,
                "the stack created by " + executionArn,
                () -> statesEntered(executionArn).contains("AwaitCreateComplete"));
    }

    /**
     * Waits until the execution has created its stack or ended. The emulator's CreateStack is not atomic: two at
     * once for one stack name can fail the second with a 500 (a duplicate resource) where AWS answers
     * AlreadyExists, so the update starts only once the create's CreateStack is behind it; the AlreadyExists
     * interleaving itself is covered by the workflow path tests.
     */
    private void awaitPastItsCreateStack(String executionArn) {
        Await.until(
                DEADLINE,
                executionArn + " past its CreateStack",
                () -> statesEntered(executionArn).contains("AwaitCreateComplete")
                        || sfn.describeExecution(r -> r.executionArn(executionArn))
                                        .status()
                                != ExecutionStatus.RUNNING);
    }

    private List<String> statesEntered(String executionArn) {
        return sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn)).events().stream()
                .map(HistoryEvent::stateEnteredEventDetails)
                .filter(details -> details != null)
                .map(details -> details.name())
                .toList();
    }

    /** What another execution (create-g1) would have created: that generation's config and tag. */
    private void createOutOfBand(String id, int generation, Map<String, Object> config) {
        cloudFormation.createStack(r -> r.stackName(stackName(id))
                .templateURL(LocalResources.templateUrl(currentRelease()))
                .parameters(
                        parameter("GameServerId", id),
                        parameter("Owner", "alice"),
                        parameter("Difficulty", (String) config.get("difficulty")),
                        parameter("PlayerCount", config.get("player_count").toString()),
                        parameter("Seed", (String) config.get("seed")))
                .tags(
                        tag("stackfleet:gameserver-id", id),
                        tag("stackfleet:owner", "alice"),
                        tag(GENERATION_TAG, Integer.toString(generation))));
    }

    private static Parameter parameter(String key, String value) {
        return Parameter.builder().parameterKey(key).parameterValue(value).build();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private Stack liveStack(String id) {
        try {
            Stack stack = cloudFormation
                    .describeStacks(r -> r.stackName(stackName(id)))
                    .stacks()
                    .get(0);
            return stack.stackStatus() == StackStatus.DELETE_COMPLETE ? null : stack;
        } catch (CloudFormationException e) {
            // A describe that races the workflow's own CreateStack in the emulator can get a bare 400 with no
            // error code (seen once in many runs); like a stack that does not exist yet, the probe looks again.
            boolean bareRefusal = e.statusCode() == 400
                    && (e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null);
            if (bareRefusal || e.getMessage().contains("does not exist")) {
                return null;
            }
            throw e;
        }
    }

    private static String generationTag(Stack stack) {
        return stack.tags().stream()
                .filter(t -> GENERATION_TAG.equals(t.key()))
                .map(Tag::value)
                .findFirst()
                .orElse(null);
    }

    private static Map<String, String> configParameters(Stack stack) {
        return stack.parameters().stream()
                .filter(p -> List.of("Difficulty", "PlayerCount", "Seed").contains(p.parameterKey()))
                .collect(Collectors.toMap(Parameter::parameterKey, Parameter::parameterValue));
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
