package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.core.Connection;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import dev.stackfleet.core.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Players see their server's own fields and a short, player-safe reason for a failure; never where it runs
 * (accounts, roles), how (executions, stacks) or the raw cause, which operators read from the table.
 */
class PlayerViewTest {

    private static final String FAILED_ID = "gs-ffffffffffffffffffff";
    private static final String RAW_CAUSE = "States.TaskFailed: User: arn:aws:sts::222222222222:assumed-role/"
            + "stackfleet-workload-access/gs-ffffffffffffffffffff-create-g1 is not authorized to perform: "
            + "cloudformation:CreateStack on stack stackfleet-gs-ffffffffffffffffffff";
    private static final Connection CONNECTION = new Connection(
            "stackfleet-ffffffffffffffffffff-4f1d2c3b5a697887.elb.eu-west-1.amazonaws.com", 25565, "tcp");
    private static final Set<String> PLAYER_FIELDS = Set.of(
            "gameserver_id",
            "config",
            "generation",
            "observed_generation",
            "status",
            "status_reason",
            "connection",
            "delete_requested",
            "created_at",
            "updated_at");

    static Stream<String> routes() {
        return Stream.of("create.json", "list.json", "get.json", "update.json", "delete.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void noRouteShowsPlacementExecutionStackOrRawCause(String file) {
        // GIVEN alice's server failed to be created, with the raw cause and everything the workflow recorded
        ApiFixture api = new ApiFixture();
        api.store.seed(failedServer(FAILED_ID));
        api.seedAliceServer();
        APIGatewayV2HTTPEvent event = ApiFixture.event(file);
        if (event.getPathParameters() != null) {
            event.setPathParameters(Map.of("id", FAILED_ID));
        }

        // WHEN
        ApiFixture.Response response = api.send(event);

        // THEN
        assertTrue(response.status() / 100 == 2, response.body().toString());
        String body = response.body().toString();
        for (String hidden : List.of(
                "placement",
                "execution_arn",
                "stack_id",
                "stack_name",
                "222222222222",
                "arn:",
                "stackfleet-workload-access",
                "stackfleet-gs-",
                "not authorized",
                "role_arn")) {
            assertFalse(body.contains(hidden), hidden + " in " + body);
        }
        servers(response.body())
                .forEach(server -> assertEquals(PLAYER_FIELDS, fieldNames(server), "only the server's own fields"));
    }

    @Test
    void aFailedStatusCarriesAPlayerSafeReason() {
        ApiFixture api = new ApiFixture();
        api.store.seed(failedServer(FAILED_ID));

        APIGatewayV2HTTPEvent get = ApiFixture.event("get.json");
        get.setPathParameters(Map.of("id", FAILED_ID));
        JsonNode server = api.send(get).body();

        assertEquals("CREATE_FAILED", server.path("status").asText());
        assertEquals(
                "The server could not be created. Try again, or delete it; the operators have the details.",
                server.path("status_reason").asText());
    }

    @Test
    void aServerThatIsNotFailedHasNoReason() {
        ApiFixture api = new ApiFixture();
        api.seedAliceServer();

        JsonNode server = api.send(ApiFixture.event("get.json")).body();

        assertTrue(server.path("status_reason").isNull(), server.toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Status.class,
            names = {"ACTIVE", "UPDATE_PENDING", "UPDATING", "UPDATE_FAILED"})
    void theRecordedConnectionIsShownWhileTheStackWithThatAddressStands(Status status) {
        // GIVEN alice's server reached ACTIVE once, and the workflow recorded where to connect
        ApiFixture api = new ApiFixture();
        api.store.seed(server(FAILED_ID, status, null, CONNECTION));

        // WHEN
        JsonNode server = get(api, FAILED_ID);

        // THEN
        JsonNode connection = server.path("connection");
        assertEquals(CONNECTION.address(), connection.path("address").asText(), server.toString());
        assertEquals(25565, connection.path("port").asInt());
        assertEquals("tcp", connection.path("protocol").asText());
        assertEquals(Set.of("address", "port", "protocol"), fieldNames(connection));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Status.class,
            names = {"CREATE_PENDING", "CREATING", "CREATE_FAILED", "DELETE_PENDING", "DELETING", "DELETE_FAILED"})
    void noConnectionIsShownBeforeTheFirstActiveNorOnceDeletionIsRequested(Status status) {
        // GIVEN a connection is still stored (a server created again after its stack was lost, or being deleted)
        ApiFixture api = new ApiFixture();
        api.store.seed(server(FAILED_ID, status, null, CONNECTION));

        // WHEN
        JsonNode server = get(api, FAILED_ID);

        // THEN
        assertTrue(server.has("connection"), server.toString());
        assertTrue(server.path("connection").isNull(), server.toString());
    }

    @Test
    void anActiveServerWithoutARecordedConnectionShowsNone() {
        ApiFixture api = new ApiFixture();
        api.store.seed(server(FAILED_ID, Status.ACTIVE, null, null));

        assertTrue(get(api, FAILED_ID).path("connection").isNull());
    }

    private static JsonNode get(ApiFixture api, String id) {
        APIGatewayV2HTTPEvent get = ApiFixture.event("get.json");
        get.setPathParameters(Map.of("id", id));
        return api.send(get).body();
    }

    private static GameServer failedServer(String id) {
        return server(id, Status.CREATE_FAILED, RAW_CAUSE, null);
    }

    private static GameServer server(String id, Status status, String statusReason, Connection connection) {
        GameServer requested = GameServer.requested(
                ApiFixture.ALICE,
                "alice",
                id,
                new GameServerConfig("hard", 6, "s33d"),
                ApiFixture.PLACEMENT,
                ApiFixture.RELEASE,
                ApiFixture.NOW.minusSeconds(120));
        return new GameServer(
                requested.owner(),
                requested.ownerName(),
                id,
                requested.config(),
                1,
                false,
                requested.placement(),
                requested.stackName(),
                status,
                statusReason,
                null,
                "arn:aws:states:eu-west-1:111111111111:execution:stackfleet-provision:" + id + "-create-g1",
                "arn:aws:cloudformation:eu-west-1:222222222222:stack/stackfleet-" + id + "/0f3e5a10",
                connection,
                requested.release(),
                null,
                requested.createdAt(),
                ApiFixture.NOW.minusSeconds(60));
    }

    private static Stream<JsonNode> servers(JsonNode body) {
        return body.has("items") ? StreamSupport.stream(body.path("items").spliterator(), false) : Stream.of(body);
    }

    private static Set<String> fieldNames(JsonNode server) {
        Set<String> names = new TreeSet<>();
        server.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
