package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import dev.stackfleet.core.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** Each route with valid input, events as API Gateway delivers them (test-events/api). */
class AcceptedRequestsTest {

    private final ApiFixture api = new ApiFixture();

    @ParameterizedTest
    @Event(value = "api/create.json", type = APIGatewayV2HTTPEvent.class)
    void createWritesAPendingServerOwnedByTheCaller(APIGatewayV2HTTPEvent event) {
        // WHEN
        ApiFixture.Response response = api.send(event);

        // THEN the server is stored under alice's subject, her username kept for display only
        assertEquals(201, response.status());
        String id = response.body().path("gameserver_id").asText();
        assertEquals("/gameservers/" + id, response.headers().get("Location"));
        GameServer stored = api.store.get(ApiFixture.ALICE, id).orElseThrow();
        assertEquals("alice", stored.ownerName());
        assertEquals(Status.CREATE_PENDING, stored.status());
        assertEquals(1, stored.generation());
        assertEquals("easy", stored.config().difficulty());
        assertEquals(4, stored.config().playerCount());
        assertEquals("s33d-42", stored.config().seed());
        assertEquals(ApiFixture.PLACEMENT, stored.placement());
        assertEquals("stackfleet-" + id, stored.stackName());
        assertEquals("CREATE_PENDING", response.body().path("status").asText());
        assertEquals(1, api.store.writes());
        assertEquals(Set.of(id), api.store.quotaSlots(ApiFixture.ALICE));
    }

    @Test
    void createWhoseAnswerWasLostAndRetriedIsOneServer() {
        // GIVEN the store writes the create, but the retry of a lost answer finds the id taken
        api.store.answerNextCreateAsARetry();

        // WHEN
        ApiFixture.Response response = api.send(ApiFixture.event("create.json"));

        // THEN the caller gets the server that was written, and it holds one slot
        assertEquals(201, response.status(), response.body().toString());
        String id = response.body().path("gameserver_id").asText();
        assertTrue(api.store.get(ApiFixture.ALICE, id).isPresent());
        assertEquals(Set.of(id), api.store.quotaSlots(ApiFixture.ALICE));
    }

    @Test
    void createWhoseGeneratedIdExistsTriesAFreshOne() {
        // GIVEN alice already has a server with the id the generator yields first
        api.store.seed(GameServer.requested(
                ApiFixture.ALICE,
                "alice",
                "gs-aaaaaaaaaaaaaaaaaaab",
                new GameServerConfig("easy", 1, "s33d"),
                ApiFixture.PLACEMENT,
                ApiFixture.RELEASE,
                ApiFixture.NOW));

        // WHEN
        ApiFixture.Response response = api.send(ApiFixture.event("create.json"));

        // THEN the next id is used and the existing server is untouched
        assertEquals(201, response.status());
        assertEquals(
                "gs-aaaaaaaaaaaaaaaaaaac", response.body().path("gameserver_id").asText());
        assertEquals(
                1,
                api.store
                        .get(ApiFixture.ALICE, "gs-aaaaaaaaaaaaaaaaaaab")
                        .orElseThrow()
                        .config()
                        .playerCount());
    }

    @ParameterizedTest
    @Event(value = "api/create-without-seed.json", type = APIGatewayV2HTTPEvent.class)
    void createGeneratesASeedThatTheTemplateAccepts(APIGatewayV2HTTPEvent event) {
        ApiFixture.Response response = api.send(event);

        assertEquals(201, response.status());
        String seed = response.body().path("config").path("seed").asText();
        assertTrue(seed.matches("[A-Za-z0-9_-]{1,64}"), seed);
        assertEquals(20, response.body().path("config").path("player_count").asInt());
    }

    @Test
    void aNewUserWithTheUsernameOfADeletedOneSeesNoneOfTheOldServers() {
        // GIVEN alice created a server, then her account was deleted and the provider gave "alice" to someone new
        assertEquals(201, api.send(ApiFixture.event("create.json")).status());
        APIGatewayV2HTTPEvent list = ApiFixture.event("list.json");
        list.getRequestContext()
                .getAuthorizer()
                .getJwt()
                .setClaims(ApiFixture.claims("99999999-0000-4000-8000-000000000009", "alice"));

        // WHEN the new alice lists her servers
        ApiFixture.Response response = api.send(list);

        // THEN she sees none of them
        assertEquals(200, response.status());
        assertEquals(0, response.body().path("items").size(), response.body().toString());
    }

    @Test
    void createIgnoresAUsernameAnywhereButTheClaims() {
        APIGatewayV2HTTPEvent event = ApiFixture.event("create.json");
        event.setHeaders(Map.of("x-user", "mallory"));

        ApiFixture.Response response = api.send(event);

        String id = response.body().path("gameserver_id").asText();
        assertTrue(api.store.get(ApiFixture.ALICE, id).isPresent(), "stored under the claims' owner");
        assertTrue(api.store.get("mallory", id).isEmpty());
    }

    @Test
    void createAcceptsABase64Body() {
        APIGatewayV2HTTPEvent event = ApiFixture.event("create.json");
        event.setBody(Base64.getEncoder()
                .encodeToString("{\"config\": {\"difficulty\": \"peaceful\", \"player_count\": 1}}"
                        .getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        ApiFixture.Response response = api.send(event);

        assertEquals(201, response.status());
        assertEquals(
                "peaceful", response.body().path("config").path("difficulty").asText());
    }

    @ParameterizedTest
    @Event(value = "api/get.json", type = APIGatewayV2HTTPEvent.class)
    void getReturnsTheCallersServer(APIGatewayV2HTTPEvent event) {
        api.seedAliceServer();

        ApiFixture.Response response = api.send(event);

        assertEquals(200, response.status());
        assertEquals(ApiFixture.SEEDED_ID, response.body().path("gameserver_id").asText());
        assertEquals("easy", response.body().path("config").path("difficulty").asText());
    }

    @ParameterizedTest
    @Event(value = "api/list.json", type = APIGatewayV2HTTPEvent.class)
    void listPagesThroughTheCallersServersOnly(APIGatewayV2HTTPEvent firstPage) {
        // GIVEN three servers of alice's and one of bob's
        for (int i = 0; i < 3; i++) {
            api.send(ApiFixture.event("create.json"));
        }
        APIGatewayV2HTTPEvent bobs = ApiFixture.event("create.json");
        bobs.getRequestContext().getAuthorizer().getJwt().setClaims(ApiFixture.claims(ApiFixture.BOB, "bob"));
        api.send(bobs);

        // WHEN alice lists them two at a time
        List<String> owners = new ArrayList<>();
        ApiFixture.Response page = api.send(firstPage);
        int pages = 1;
        page.body().path("items").forEach(item -> owners.add(ownerOf(item)));
        while (!page.body().path("next_token").isNull()) {
            APIGatewayV2HTTPEvent next = ApiFixture.event("list.json");
            next.setQueryStringParameters(Map.of(
                    "limit", "2", "next_token", page.body().path("next_token").asText()));
            page = api.send(next);
            pages++;
            page.body().path("items").forEach(item -> owners.add(ownerOf(item)));
        }

        // THEN
        assertEquals(List.of("alice", "alice", "alice"), owners);
        assertEquals(2, pages);
    }

    /** Whose server a listed item is, as the store holds it (the API does not show the owner). */
    private String ownerOf(JsonNode item) {
        String id = item.path("gameserver_id").asText();
        return api.store.get(ApiFixture.ALICE, id).isPresent()
                ? "alice"
                : api.store.get(ApiFixture.BOB, id).map(s -> "bob").orElse("?");
    }

    @ParameterizedTest
    @Event(value = "api/update.json", type = APIGatewayV2HTTPEvent.class)
    void updateMergesTheChangeAndRaisesTheGeneration(APIGatewayV2HTTPEvent event) {
        api.seedAliceServer();

        ApiFixture.Response response = api.send(event);

        assertEquals(200, response.status());
        JsonNode config = response.body().path("config");
        assertEquals(8, config.path("player_count").asInt());
        assertEquals("easy", config.path("difficulty").asText(), "keys not named keep their value");
        GameServer stored =
                api.store.get(ApiFixture.ALICE, ApiFixture.SEEDED_ID).orElseThrow();
        assertEquals(2, stored.generation());
        assertEquals(Status.UPDATE_PENDING, stored.status());
    }

    @Test
    void updateThatChangesNothingWritesNothing() {
        api.seedAliceServer();

        ApiFixture.Response response = api.send(ApiFixture.event("update.json", "{\"config\": {\"player_count\": 4}}"));

        assertEquals(200, response.status());
        assertEquals(1, response.body().path("generation").asInt());
        assertEquals(0, api.store.writes());
    }

    @ParameterizedTest
    @Event(value = "api/delete.json", type = APIGatewayV2HTTPEvent.class)
    void deleteIsAcceptedAndRepeatingItIsHarmless(APIGatewayV2HTTPEvent event) {
        api.seedAliceServer();

        ApiFixture.Response first = api.send(event);
        ApiFixture.Response second = api.send(ApiFixture.event("delete.json"));

        assertEquals(202, first.status());
        assertEquals("DELETE_PENDING", first.body().path("status").asText());
        assertEquals(202, second.status());
        assertEquals(1, api.store.writes(), "the second delete writes nothing");
        assertTrue(api.store
                .get(ApiFixture.ALICE, ApiFixture.SEEDED_ID)
                .orElseThrow()
                .deleteRequested());
        assertEquals(Set.of(), api.store.quotaSlots(ApiFixture.ALICE), "the slot is free again");
    }

    @Test
    void deletedServersNoLongerCountAgainstTheQuota() {
        for (int i = 0; i < ApiFixture.CONFIG.maxServersPerOwner(); i++) {
            api.send(ApiFixture.event("create.json"));
        }
        String first = api.send(ApiFixture.event("list.json"))
                .body()
                .path("items")
                .get(0)
                .path("gameserver_id")
                .asText();
        APIGatewayV2HTTPEvent delete = ApiFixture.event("delete.json");
        delete.setPathParameters(Map.of("id", first));
        api.send(delete);

        ApiFixture.Response response = api.send(ApiFixture.event("create.json"));

        assertEquals(201, response.status());
        assertNotEquals(first, response.body().path("gameserver_id").asText());
    }
}
