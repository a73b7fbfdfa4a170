package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where players connect, end to end on the emulator: the game-server stack's public outputs (its load
 * balancer's DNS name, the game port and protocol) reach the player through the provision workflow and the
 * API once the server is {@code ACTIVE}, never before, and an operator's new game port reaches them with the
 * next update.
 */
class ConnectionIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static TestEnvironment environment;
    private static ApiClient alice;
    private static CloudFormationClient cloudFormation;

    @BeforeAll
    static void start() {
        environment = TestEnvironment.start("connection");
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
        cloudFormation = environment.aws().cloudFormation();
    }

    @AfterEach
    void restoreTemplate() {
        environment.restoreGameServerTemplate();
    }

    @AfterAll
    static void stop() {
        if (environment != null) { // null when the emulator could not be had
            environment.close();
        }
    }

    @Test
    void theConnectionIsTheStacksPublicOutputsOnceActiveAndAbsentBefore() {
        // WHEN
        ApiClient.Response created = alice.create("{\"difficulty\": \"easy\", \"player_count\": 4}");
        String id = created.body().path("gameserver_id").asText();
        List<JsonNode> seen = new ArrayList<>(List.of(created.body()));
        JsonNode active =
                Await.until(DEADLINE, id + " ACTIVE", () -> alice.get(id).body(), body -> {
                    seen.add(body);
                    return "ACTIVE".equals(body.path("status").asText());
                });

        // THEN every view before ACTIVE had no connection, and ACTIVE shows the stack's public outputs
        for (JsonNode before : seen.subList(0, seen.size() - 1)) {
            assertTrue(before.has("connection"), before.toString());
            assertTrue(before.path("connection").isNull(), "no connection while " + before);
        }
        assertEquals("CREATE_PENDING", created.body().path("status").asText());
        Map<String, String> outputs = stackOutputs(id);
        JsonNode connection = active.path("connection");
        assertEquals(outputs.get("ConnectAddress"), connection.path("address").asText(), active.toString());
        assertTrue(connection.path("address").asText().endsWith(".elb.amazonaws.com"), active.toString());
        assertEquals(25565, connection.path("port").asInt());
        assertEquals("tcp", connection.path("protocol").asText());
        assertFalse(active.toString().contains(LocalAws.ACCOUNT_ID), "no account id in " + active);
        Map<String, AttributeValue> stored =
                environment.storedItem("alice", id).get("connection").m();
        assertEquals(outputs.get("ConnectAddress"), stored.get("address").s());
        assertEquals("25565", stored.get("port").n());
        assertEquals("tcp", stored.get("protocol").s());
    }

    @Test
    void anUpdateKeepsTheLastConnectionUntilActiveThenShowsTheNewOne() {
        // GIVEN an ACTIVE server, and then an operator moves the game to UDP port 7777 (a new template release) that
        // the server should run
        String id = alice.create("{\"difficulty\": \"easy\", \"player_count\": 4}")
                .body()
                .path("gameserver_id")
                .asText();
        JsonNode before = awaitActive(id, 1).path("connection");
        environment.desireRelease("alice", id, environment.releaseGameServerTemplateWithGamePort(7777, "udp"));

        // WHEN the player changes the config: the update takes the server's new release
        ApiClient.Response updated = alice.update(id, "{\"difficulty\": \"hard\", \"player_count\": 4}");

        // THEN the old connection stays while the update is pending, and ACTIVE brings the new one
        assertEquals(200, updated.status());
        assertEquals("UPDATE_PENDING", updated.body().path("status").asText());
        assertEquals(before, updated.body().path("connection"));
        JsonNode after = awaitActive(id, 2).path("connection");
        assertEquals(7777, after.path("port").asInt(), after.toString());
        assertEquals("udp", after.path("protocol").asText());
        assertEquals(
                stackOutputs(id).get("ConnectAddress"), after.path("address").asText());
    }

    @Test
    void aServerFromBeforeReleasesIsReadAndItsFirstUpdateTakesTheCurrentRelease() {
        // GIVEN an ACTIVE server whose item has no release, as one written before releases existed
        String id = alice.create("{\"difficulty\": \"easy\", \"player_count\": 4}")
                .body()
                .path("gameserver_id")
                .asText();
        awaitActive(id, 1);
        environment.forgetRelease("alice", id);
        // AND the operator's current release moves the game to UDP port 7778
        String current =
                environment.releaseGameServerTemplateWithGamePort(7778, "udp").version();

        // WHEN its owner reads it and lists their servers
        ApiClient.Response read = alice.get(id);
        ApiClient.Response listed = alice.send("GET", "/gameservers", null);
        // THEN both answer as for any server
        assertEquals(200, read.status(), read.body().toString());
        assertEquals("ACTIVE", read.body().path("status").asText());
        assertEquals(200, listed.status(), listed.body().toString());

        // WHEN the owner changes its config
        ApiClient.Response updated = alice.update(id, "{\"difficulty\": \"hard\"}");

        // THEN the update takes the current release, and the stack runs it once ACTIVE
        assertEquals(200, updated.status(), updated.body().toString());
        JsonNode after = awaitActive(id, 2).path("connection");
        assertEquals(7778, after.path("port").asInt(), after.toString());
        Map<String, AttributeValue> stored = environment.storedItem("alice", id);
        assertEquals(current, stored.get("release").s());
        assertEquals(current, stored.get("observed_release").s());
    }

    @Test
    void aDeletionRequestHidesTheConnection() {
        String id = alice.create("{\"difficulty\": \"easy\", \"player_count\": 4}")
                .body()
                .path("gameserver_id")
                .asText();
        awaitActive(id, 1);

        ApiClient.Response deleted = alice.delete(id);

        assertEquals(202, deleted.status());
        assertEquals("DELETE_PENDING", deleted.body().path("status").asText());
        assertTrue(deleted.body().path("connection").isNull(), deleted.body().toString());
    }

    private static JsonNode awaitActive(String id, long generation) {
        return Await.until(
                DEADLINE,
                id + " ACTIVE at generation " + generation,
                () -> alice.get(id).body(),
                body -> "ACTIVE".equals(body.path("status").asText())
                        && body.path("observed_generation").asLong() == generation);
    }

    private static Map<String, String> stackOutputs(String id) {
        return cloudFormation.describeStacks(r -> r.stackName("stackfleet-" + id)).stacks().get(0).outputs().stream()
                .collect(Collectors.toMap(Output::outputKey, Output::outputValue));
    }
}
