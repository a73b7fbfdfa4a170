package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.Intent;
import dev.stackfleet.core.LoggingLambdaContext;
import dev.stackfleet.reconciler.Finding;
import dev.stackfleet.reconciler.ReconcileReport;
import dev.stackfleet.reconciler.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The reconciler against a real emulator, one repair per test. The stream poller is off, so every stream record is
 * as good as lost: whatever runs, the reconciler started. Each test ends with the fleet converged: every live
 * server {@code ACTIVE} on a stack that runs its config, and no stack without a server.
 */
class ReconcilerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestEnvironment environment;
    private ApiClient alice;
    private Reconciler reconciler;
    private CloudFormationClient cloudFormation;
    private SfnClient sfn;
    private DynamoDbClient dynamo;

    @BeforeEach
    void start() {
        environment = TestEnvironment.start("reconciler", new LocalControlPlane.Options(0, false, null));
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
        // Judge at once: nothing here waits for the local mode's thresholds.
        reconciler = LocalReconciler.reconciler(
                environment.aws(),
                environment.controlPlane().resources(),
                Duration.ZERO,
                Duration.ZERO,
                line -> LocalLog.line("reconcile", line));
        cloudFormation = environment.aws().cloudFormation();
        sfn = environment.aws().sfn();
        dynamo = environment.aws().dynamoDb();
    }

    @AfterEach
    void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void aLostInsertIsStartedUnderItsOwnNameAndALateStreamStartAddsNothing() {
        // GIVEN a server whose INSERT record never reached the stream Lambda
        String id = create("{\"difficulty\": \"easy\", \"player_count\": 4}");
        assertEquals("CREATE_PENDING", status(id));

        // WHEN a pass runs
        ReconcileReport report = pass(false, false);

        // THEN it starts the create under its deterministic name, and the server converges
        assertEquals(List.of(Finding.Kind.STUCK + " started " + id + "-create-g1"), actions(report, id));
        awaitActive(id, 1);

        // WHEN the lost record arrives after all, and another pass runs
        environment
                .controlPlane()
                .streamHandler()
                .handleRequest(
                        environment.allStreamRecords(),
                        new LoggingLambdaContext("stackfleet-stream", line -> LocalLog.line("stream", line)));
        ReconcileReport again = pass(false, false);

        // THEN nothing new ran
        assertEquals(List.of(id + "-create-g1"), executionNames(id));
        assertEquals(List.of(), again.findings());
        assertConverged();
    }

    @Test
    void aLostDeleteIsStartedAndTheStackGoes() {
        // GIVEN an ACTIVE server whose deletion record is lost
        String id = createActive("{\"difficulty\": \"normal\", \"player_count\": 2}");
        assertEquals(202, alice.delete(id).status());

        // WHEN
        ReconcileReport report = pass(false, false);

        // THEN its deprovision runs: the item and the stack are gone
        assertEquals(List.of(Finding.Kind.STUCK + " started " + id + "-delete-g1"), actions(report, id));
        Await.until(DEADLINE, id + " gone", () -> alice.get(id).status(), status -> status == 404);
        assertConverged();
    }

    @Test
    void anOperatorRemovalOfADeletionThatNeverStartedStillDeletesTheStack() {
        // GIVEN an ACTIVE server whose deletion record was lost, then whose item an operator removed
        String id = createActive("{\"difficulty\": \"normal\", \"player_count\": 6}");
        assertEquals(202, alice.delete(id).status());
        dynamo.deleteItem(r -> r.tableName(LocalResources.TABLE_NAME)
                .key(Map.of("owner", AttributeValue.fromS("alice"), "gameserver_id", AttributeValue.fromS(id))));

        // WHEN only the REMOVE record reaches the stream Lambda
        DynamodbEvent all = environment.allStreamRecords();
        DynamodbEvent removes = new DynamodbEvent();
        removes.setRecords(all.getRecords().stream()
                .filter(r -> "REMOVE".equals(r.getEventName()))
                .toList());
        environment
                .controlPlane()
                .streamHandler()
                .handleRequest(
                        removes, new LoggingLambdaContext("stackfleet-stream", line -> LocalLog.line("stream", line)));

        // THEN the deletion's own deprovision runs and the stack goes
        Await.until(DEADLINE, id + "'s stack deleted", () -> !liveStacks().contains("stackfleet-" + id));
        assertEquals(List.of(id + "-create-g1", id + "-delete-g1"), executionNames(id));
        assertConverged();
    }

    @Test
    void anExecutionThatFailedOutsideItsCatchIsReplayed() {
        // GIVEN a server whose create execution failed without recording anything (its input lacked the poll
        // interval, which a Pass state reads: a runtime error no Catch handles)
        String id = create("{\"difficulty\": \"hard\", \"player_count\": 3}");
        ObjectNode input = (ObjectNode) JSON.valueToTree(reconcilerInputOf(id));
        input.putObject("poll");
        String arn = sfn.startExecution(r -> r.stateMachineArn(
                                environment.controlPlane().resources().provisionArn())
                        .name(id + "-create-g1")
                        .input(input.toString()))
                .executionArn();
        Await.until(
                DEADLINE,
                id + "-create-g1 ended",
                () -> sfn.describeExecution(r -> r.executionArn(arn)).statusAsString(),
                status -> !"RUNNING".equals(status));
        assertEquals("FAILED", sfn.describeExecution(r -> r.executionArn(arn)).statusAsString());
        assertEquals("CREATE_PENDING", status(id));

        // WHEN
        ReconcileReport report = pass(false, false);

        // THEN the intent is replayed and the server converges
        assertEquals(List.of(Finding.Kind.STUCK + " started " + id + "-create-g1-r1"), actions(report, id));
        awaitActive(id, 1);
        assertConverged();
    }

    @Test
    void aStackDeletedOutOfBandIsCreatedAgainAndTheItemSaysWhy() {
        // GIVEN an ACTIVE server whose stack someone deleted by hand
        String id = createActive("{\"difficulty\": \"easy\", \"player_count\": 8}");
        cloudFormation.deleteStack(r -> r.stackName("stackfleet-" + id));

        // WHEN
        ReconcileReport report = pass(false, false);

        // THEN a replay of its create makes the stack again, and the item records why
        assertEquals(List.of(Finding.Kind.STACK_MISSING + " started " + id + "-create-g1-r1"), actions(report, id));
        Await.until(DEADLINE, id + " stack back", () -> liveStacks().contains("stackfleet-" + id));
        awaitActive(id, 1);
        assertTrue(
                item(id).get("reconcile_reason")
                        .s()
                        .startsWith("STACK_MISSING: stack stackfleet-" + id + " does not exist"),
                item(id).toString());
        assertConverged();
    }

    @Test
    void aDriftedParameterIsConvergedBackToTheConfig() {
        // GIVEN an ACTIVE server whose stack someone changed by hand
        String id = createActive("{\"difficulty\": \"easy\", \"player_count\": 4}");
        // (only the parameters the workflows pass; the others keep the template's defaults, as in the workflows)
        Map<String, String> changed = new HashMap<>(parameters(id));
        changed.keySet().retainAll(Set.of("GameServerId", "Owner", "Difficulty", "PlayerCount", "Seed"));
        changed.put("Difficulty", "hard");
        String template =
                cloudFormation.getTemplate(r -> r.stackName("stackfleet-" + id)).templateBody();
        cloudFormation.updateStack(r -> r.stackName("stackfleet-" + id)
                .templateBody(template)
                .parameters(changed.entrySet().stream()
                        .map(p -> Parameter.builder()
                                .parameterKey(p.getKey())
                                .parameterValue(p.getValue())
                                .build())
                        .toList())
                .capabilitiesWithStrings("CAPABILITY_NAMED_IAM"));
        assertEquals("hard", parameters(id).get("Difficulty"));

        // WHEN
        ReconcileReport report = pass(false, false);

        // THEN the stack runs the config again
        assertEquals(List.of(Finding.Kind.DRIFTED + " started " + id + "-create-g1-r1"), actions(report, id));
        Await.until(
                DEADLINE, id + " Difficulty back to easy", () -> parameters(id).get("Difficulty"), "easy"::equals);
        awaitActive(id, 1);
        assertTrue(item(id).get("reconcile_reason").s().contains("Difficulty is hard, config says easy"));
        assertConverged();
    }

    @Test
    void anOrphanIsReportedAndDeletedOnlyOnRequest() {
        // GIVEN a fleet stack whose server has no item (its item was lost)
        String id = "gs-orphanorphanorphan22";
        cloudFormation.createStack(r -> r.stackName("stackfleet-" + id)
                .templateBody("{\"Resources\": {\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}}}")
                .tags(
                        Tag.builder().key("stackfleet:gameserver-id").value(id).build(),
                        Tag.builder().key("stackfleet:owner").value("alice").build()));

        // WHEN a pass runs without --delete-orphans
        ReconcileReport reported = pass(false, false);

        // THEN it is reported and left alone
        assertEquals(
                List.of(Finding.Kind.ORPHAN + " reported; delete with ./stackfleet ops reconcile"
                        + " --delete-orphans --yes"),
                actions(reported, id));
        assertTrue(liveStacks().contains("stackfleet-" + id));

        // WHEN a pass is asked to delete orphans
        ReconcileReport deleted = pass(false, true);

        // THEN the deprovision workflow deletes the stack
        assertEquals(List.of(Finding.Kind.ORPHAN + " started " + id + "-delete-g1"), actions(deleted, id));
        Await.until(DEADLINE, "orphan stack deleted", () -> !liveStacks().contains("stackfleet-" + id));
        assertConverged();
    }

    @Test
    void anAccountWhoseStacksCannotBeListedIsUnresolvedNeverMissing() {
        // GIVEN an ACTIVE server, and a pass that cannot assume the observer role of its account
        String id = createActive("{\"difficulty\": \"easy\", \"player_count\": 2}");
        Reconciler blind = new Reconciler(
                LocalReconciler.settings(environment.controlPlane().resources(), Duration.ZERO, Duration.ZERO),
                dynamo,
                sfn,
                (role, region) -> {
                    throw StsException.builder()
                            .message("not authorized to perform sts:AssumeRole on " + role)
                            .statusCode(403)
                            .build();
                },
                Clock.systemUTC(),
                line -> LocalLog.line("reconcile", line));

        // WHEN it runs
        ReconcileReport report = blind.run(new Reconciler.Options(false, false));

        // THEN each workload account is reported as unchecked, the server is not taken for one whose stack is gone,
        // and nothing is started
        assertEquals(
                LocalResources.WORKLOAD_ACCOUNTS.stream()
                        .map(a -> Finding.Kind.UNRESOLVED)
                        .toList(),
                report.findings().stream().map(Finding::kind).toList());
        assertTrue(
                report.findings().stream()
                        .anyMatch(f -> f.detail().contains("cannot list the stacks of account 123456789012")),
                report.findings().toString());
        assertEquals(List.of(id + "-create-g1"), executionNames(id));
        assertConverged();
    }

    @Test
    void aDryRunReportsButChangesNothing() {
        String id = create("{\"difficulty\": \"peaceful\", \"player_count\": 1}");

        ReconcileReport report = pass(true, false);

        assertEquals(List.of(Finding.Kind.STUCK + " would start " + id + "-create-g1"), actions(report, id));
        assertEquals(List.of(), executionNames(id));
        assertFalse(item(id).containsKey("reconcile_reason"));
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private ReconcileReport pass(boolean dryRun, boolean deleteOrphans) {
        return reconciler.run(new Reconciler.Options(dryRun, deleteOrphans));
    }

    private static List<String> actions(ReconcileReport report, String id) {
        return report.findings().stream()
                .filter(f -> id.equals(f.gameServerId()))
                .map(f -> f.kind() + " " + f.action())
                .toList();
    }

    private String create(String config) {
        ApiClient.Response created = alice.create(config);
        assertEquals(201, created.status(), created.body().toString());
        return created.body().path("gameserver_id").asText();
    }

    /** A server made ACTIVE by a pass (the stream is off). */
    private String createActive(String config) {
        String id = create(config);
        pass(false, false);
        awaitActive(id, 1);
        return id;
    }

    private void awaitActive(String id, long generation) {
        Await.until(
                DEADLINE,
                id + " ACTIVE at generation " + generation,
                () -> alice.get(id).body(),
                body -> "ACTIVE".equals(body.path("status").asText())
                        && body.path("observed_generation").asLong() == generation);
    }

    private String status(String id) {
        return alice.get(id).body().path("status").asText();
    }

    private Map<String, AttributeValue> item(String id) {
        return dynamo.getItem(r -> r.tableName(LocalResources.TABLE_NAME)
                        .consistentRead(true)
                        .key(Map.of("owner", AttributeValue.fromS("alice"), "gameserver_id", AttributeValue.fromS(id))))
                .item();
    }

    /** The input the reconciler would build for the server's current intent. */
    private ExecutionInput reconcilerInputOf(String id) {
        return ExecutionInput.fromItem(
                Intent.CREATE,
                item(id),
                new ExecutionInput.Poll(LocalControlPlane.POLL_INITIAL_SECONDS, LocalControlPlane.POLL_MAX_SECONDS));
    }

    private Stack stack(String id) {
        return cloudFormation
                .describeStacks(r -> r.stackName("stackfleet-" + id))
                .stacks()
                .get(0);
    }

    private Map<String, String> parameters(String id) {
        return stack(id).parameters().stream()
                .collect(Collectors.toMap(Parameter::parameterKey, Parameter::parameterValue));
    }

    private Set<String> liveStacks() {
        return cloudFormation.describeStacksPaginator(r -> {}).stacks().stream()
                .map(Stack::stackName)
                .filter(name -> name.startsWith("stackfleet-gs-"))
                .collect(Collectors.toSet());
    }

    private List<String> executionNames(String id) {
        var resources = environment.controlPlane().resources();
        return List.of(resources.provisionArn(), resources.deprovisionArn()).stream()
                .flatMap(arn -> sfn.listExecutionsPaginator(r -> r.stateMachineArn(arn)).executions().stream())
                .map(ExecutionListItem::name)
                .filter(name -> name.startsWith(id + "-"))
                .sorted()
                .toList();
    }

    /** Every item ACTIVE on a stack that runs its config; one stack per item, none without. */
    private void assertConverged() {
        Await.until(
                DEADLINE,
                "no execution running",
                () -> List.of(
                                environment.controlPlane().resources().provisionArn(),
                                environment.controlPlane().resources().deprovisionArn())
                        .stream()
                        .flatMap(arn -> sfn
                                .listExecutionsPaginator(
                                        r -> r.stateMachineArn(arn).statusFilter("RUNNING"))
                                .executions()
                                .stream())
                        .count(),
                count -> count == 0);
        List<Map<String, AttributeValue>> items =
                dynamo.scanPaginator(r -> r.tableName(LocalResources.TABLE_NAME)).items().stream()
                        .toList();
        assertEquals(
                items.stream().map(i -> i.get("stack_name").s()).collect(Collectors.toSet()),
                liveStacks(),
                "one stack per live server, none for deleted ones");
        for (Map<String, AttributeValue> item : items) {
            String id = item.get("gameserver_id").s();
            assertEquals("ACTIVE", item.get("status").s(), id);
            Map<String, AttributeValue> config = item.get("config").m();
            Map<String, String> parameters = parameters(id);
            assertEquals(config.get("difficulty").s(), parameters.get("Difficulty"), id);
            assertEquals(config.get("player_count").n(), parameters.get("PlayerCount"), id);
            assertEquals(config.get("seed").s(), parameters.get("Seed"), id);
        }
        assertEquals(List.of(), pass(true, false).findings(), "a pass finds nothing left to do");
    }
}
