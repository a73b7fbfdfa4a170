package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.local.ApiClient;
import dev.stackfleet.local.Await;
import dev.stackfleet.local.TestEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator's day against the real workflows from {@code statemachines/}, run by the emulator behind the
 * local control plane: a bad template release makes a create fail; the operator finds the server, reads
 * why, repairs the template and replays; the server becomes ACTIVE.
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
        String id = alice.create("{\"difficulty\": \"normal\", \"player_count\": 3}").body().path("gameserver_id").asText();
        Await.until(DEADLINE, id + " CREATE_FAILED", () -> alice.get(id).body().path("status").asText(),
                "CREATE_FAILED"::equals);

        // WHEN the operator looks for failing servers
        Run servers = ops("servers", "--failed");
        // THEN the server is listed with its status
        assertEquals(0, servers.exit(), servers.err());
        assertTrue(servers.out().lines().anyMatch(l -> l.contains(id) && l.contains("CREATE_FAILED")), servers.out());

        // WHEN the operator reads why
        Run history = ops("history", id);
        // THEN the failed execution's timeline names the failing step and the reason the item carries
        assertEquals(0, history.exit(), history.err());
        assertTrue(history.out().contains(id + "-create-g1"), history.out());
        assertTrue(history.out().contains("FAILED"), history.out());
        assertTrue(history.out().contains("CreateStack"), history.out());
        assertTrue(history.out().contains(TestEnvironment.UNPASSED_PARAMETER), history.out());

        // WHEN the template is repaired and the create replayed
        environment.restoreGameServerTemplate();
        Run replay = ops("replay", id);

        // THEN a fresh execution of the same intent converges the server
        assertEquals(0, replay.exit(), replay.err());
        assertTrue(replay.out().contains(id + "-create-g1-r1"), replay.out());
        JsonNode active = Await.until(DEADLINE, id + " ACTIVE after the replay", () -> alice.get(id).body(),
                body -> "ACTIVE".equals(body.path("status").asText()));
        assertTrue(active.path("execution_arn").asText().endsWith(":" + id + "-create-g1-r1"), active.toString());
        assertEquals(1, active.path("observed_generation").asLong());

        // AND the executions of the server list the replay first
        Run executions = ops("executions", id);
        assertEquals(0, executions.exit(), executions.err());
        assertTrue(executions.out().indexOf(id + "-create-g1-r1") < executions.out().indexOf(id + "-create-g1 "),
                executions.out());
    }

    record Run(int exit, String out, String err) {
    }

    private static Run ops(String... args) {
        var resources = environment.controlPlane().resources();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", environment.aws().endpoint().toString(), "--region", "us-east-1",
                "--provision-state-machine", resources.provisionArn(),
                "--deprovision-state-machine", resources.deprovisionArn()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = OpsMain.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
