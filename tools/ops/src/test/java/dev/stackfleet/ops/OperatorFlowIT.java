package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.core.ItemAttributes;
import dev.stackfleet.local.ApiClient;
import dev.stackfleet.local.Await;
import dev.stackfleet.local.LocalAws;
import dev.stackfleet.local.TestEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An operator's day against the real workflows from {@code statemachines/}, run by the emulator behind the
 * local control plane: a bad template release makes a create fail; the operator finds the server, reads
 * why, learns that redrive cannot help a failure the workflow recorded, repairs the template and replays the
 * failed servers; the server becomes ACTIVE.
 */
class OperatorFlowIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static TestEnvironment environment;
    private static ApiClient alice;

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        environment = TestEnvironment.start("operator-flow");
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
    }

    @AfterAll
    static void stop() {
        if (environment != null) { // null when the emulator could not be had
            environment.close();
        }
    }

    @Test
    void aFailedCreateIsFoundExplainedAndReplayedToActive() {
        // GIVEN a bad template release and a create that fails on it
        environment.releaseBrokenGameServerTemplate();
        String id = alice.create("{\"difficulty\": \"normal\", \"player_count\": 3}")
                .body()
                .path("gameserver_id")
                .asText();
        Await.until(
                DEADLINE,
                id + " CREATE_FAILED",
                () -> alice.get(id).body().path("status").asText(),
                "CREATE_FAILED"::equals);

        // WHEN the operator looks for failing servers
        OpsRun servers = ops("servers", "--failed");
        // THEN the server is listed with its status
        assertEquals(0, servers.exit(), servers.err());
        assertTrue(servers.out().lines().anyMatch(l -> l.contains(id) && l.contains("CREATE_FAILED")), servers.out());

        // WHEN the operator reads why
        OpsRun history = ops("history", id);
        // THEN the failed execution's timeline names the failing step and the reason the item carries
        assertEquals(0, history.exit(), history.err());
        assertTrue(history.out().contains(id + "-create-g1"), history.out());
        assertTrue(history.out().contains("FAILED"), history.out());
        assertTrue(history.out().contains("CreateStack"), history.out());
        assertTrue(history.out().contains(TestEnvironment.UNPASSED_PARAMETER), history.out());
        // AND the stack is read as the workload account's observer role, which local mode deploys for its account
        String observer = "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":role/stackfleet-workload-observer";
        assertTrue(history.out().contains("(as " + observer + ")"), history.out());
        assertFalse(history.out().contains("not readable"), history.out());
        try (var iam = environment.aws().iam()) {
            assertEquals(
                    observer,
                    iam.getRole(r -> r.roleName("stackfleet-workload-observer"))
                            .role()
                            .arn());
        }

        // WHEN the operator tries to redrive the failed execution
        String failedCreate =
                environment.controlPlane().resources().provisionArn().replace(":stateMachine:", ":execution:") + ":"
                        + id + "-create-g1";
        OpsRun redrive = ops("redrive", failedCreate);
        // THEN it is refused: the workflow recorded the failure and ended at FailProvision, so replay it
        assertEquals(1, redrive.exit(), redrive.out());
        assertTrue(
                redrive.err().contains("the workflow recorded this failure (FailProvision: ProvisionFailed)"),
                redrive.err());
        assertTrue(redrive.err().contains("then ./stackfleet ops replay " + id), redrive.err());
        // AND the bulk redrive leaves it out and counts it
        OpsRun redriveFailed = ops("redrive", "--failed");
        assertEquals(0, redriveFailed.exit(), redriveFailed.err());
        assertTrue(
                redriveFailed.err().contains("dry run: 0 would be redriven, 0 skipped; 1 ended at their Fail state"),
                redriveFailed.err());

        // WHEN the operator plans the replay of the failed servers
        OpsRun plan = ops("replay", "--failed");
        // THEN the server is listed with the replay that would start, and nothing starts
        assertEquals(0, plan.exit(), plan.err());
        assertTrue(
                plan.out()
                        .lines()
                        .anyMatch(l -> l.startsWith(id)
                                && l.contains(id + "-create-g1-r1")
                                && l.contains("would-start")
                                && l.contains("CREATE_FAILED create generation 1")),
                plan.out());
        assertTrue(plan.err().contains("dry run: 1 would be started, 0 skipped"), plan.err());

        // WHEN the operator names a release that was never published
        OpsRun unknown = ops("replay", "--failed", "--release", "000000000000", "--yes");
        // THEN nothing starts, and the error says where the releases are
        assertEquals(1, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("no release 000000000000: see ./stackfleet ops release list"), unknown.err());

        // WHEN the template is repaired (a new current release) and the failed servers replayed on it
        String broken =
                environment.storedItem("alice", id).get(ItemAttributes.RELEASE).s();
        String repaired = environment.restoreGameServerTemplate().version();
        OpsRun replay = ops("replay", "--failed", "--release", "current", "--yes");

        // THEN each is pointed at the repaired release, and a fresh execution of the same intent converges it
        assertEquals(0, replay.exit(), replay.err());
        assertTrue(
                replay.out()
                        .lines()
                        .anyMatch(l -> l.startsWith(id)
                                && l.contains(id + "-create-g1-r1")
                                && l.contains("started")
                                && l.contains("on release " + repaired + " (was " + broken + ")")),
                replay.out());
        assertTrue(replay.err().contains("1 started, 0 skipped, 0 failed"), replay.err());
        JsonNode active = Await.until(
                DEADLINE,
                id + " ACTIVE after the replay",
                () -> alice.get(id).body(),
                body -> "ACTIVE".equals(body.path("status").asText()));
        String executionArn =
                environment.storedItem("alice", id).get("execution_arn").s();
        assertTrue(executionArn.endsWith(":" + id + "-create-g1-r1"), executionArn);
        assertEquals(1, active.path("observed_generation").asLong());
        Map<String, AttributeValue> item = environment.storedItem("alice", id);
        assertEquals(repaired, item.get(ItemAttributes.RELEASE).s());
        assertEquals(repaired, item.get(ItemAttributes.OBSERVED_RELEASE).s());

        // AND the executions of the server list the replay first
        OpsRun executions = ops("executions", id);
        assertEquals(0, executions.exit(), executions.err());
        assertTrue(
                executions.out().indexOf(id + "-create-g1-r1")
                        < executions.out().indexOf(id + "-create-g1 "),
                executions.out());
    }

    private static OpsRun ops(String... args) {
        return OpsRun.against(environment, args);
    }
}
