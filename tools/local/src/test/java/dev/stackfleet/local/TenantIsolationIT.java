package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A user sees and changes only their own servers (invariant 8), end to end through the local HTTP gateway:
 * whatever another user puts in the path, the body, the query string or extra headers, the owner is the
 * identity the gateway hands over as the authorizer's subject ({@code X-User} in local mode).
 *
 * <p>GIVEN alice and bob each own a server made ACTIVE by the real flow. After every attempt, bob's item in
 * the table and his stack (status, parameters, last update) are exactly as they were, and no item or quota
 * slot exists for anyone but alice and bob.
 */
class TenantIsolationIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String ALICE = "alice";
    private static final String BOB = "bob";
    private static final String VALID_CHANGE = "{\"config\": {\"player_count\": 9}}";
    private static final String VALID_CREATE = "{\"config\": {\"difficulty\": \"hard\", \"player_count\": 2}}";
    /** Identity fields someone might put in a body, a query string or a header to pass as bob. */
    private static final List<String> FORGED_FIELDS = List.of("owner", "username", "sub", "owner_name");

    private static TestEnvironment environment;
    private static CloudFormationClient cloudFormation;
    private static ApiClient alice;
    private static ApiClient bob;
    private static String alicesId;
    private static String bobsId;

    @BeforeAll
    static void start() {
        environment = TestEnvironment.start("tenant-isolation");
        cloudFormation = environment.aws().cloudFormation();
        alice = new ApiClient(environment.controlPlane().apiUrl(), ALICE);
        bob = new ApiClient(environment.controlPlane().apiUrl(), BOB);
        alicesId = alice.create("{\"difficulty\": \"easy\", \"player_count\": 4, \"seed\": \"alice\"}")
                .body()
                .path("gameserver_id")
                .asText();
        bobsId = bob.create("{\"difficulty\": \"normal\", \"player_count\": 6, \"seed\": \"bob\"}")
                .body()
                .path("gameserver_id")
                .asText();
        for (var owner : Map.of(alice, alicesId, bob, bobsId).entrySet()) {
            Await.until(
                    DEADLINE,
                    owner.getValue() + " ACTIVE",
                    () -> owner.getKey().get(owner.getValue()).body(),
                    body -> "ACTIVE".equals(body.path("status").asText()));
        }
    }

    @AfterAll
    static void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void anotherOwnersServerIsNotFoundOnGetPatchAndDeleteJustLikeAnIdThatDoesNotExist() {
        // GIVEN
        BobsServer before = BobsServer.now();
        String unknownId = "gs-zzzzzzzzzzzzzzzzzzzz";

        // WHEN / THEN
        for (String method : List.of("GET", "PATCH", "DELETE")) {
            String body = method.equals("PATCH") ? VALID_CHANGE : null;
            ApiClient.Response foreign = alice.send(method, "/gameservers/" + bobsId, body);
            ApiClient.Response unknown = alice.send(method, "/gameservers/" + unknownId, body);
            assertEquals(404, foreign.status(), method + " " + foreign.body());
            assertEquals("not_found", foreign.body().path("error").asText());
            assertEquals(unknown.status(), foreign.status(), "existence is not revealed");
            assertEquals(
                    unknown.body().path("message").asText().replace(unknownId, bobsId),
                    foreign.body().path("message").asText(),
                    "the same answer as for an id that does not exist");
            assertEquals(Set.of("error", "message"), fieldNames(foreign.body()));
        }
        before.assertUnchanged();
        assertOnlyAliceAndBobHaveItems();
    }

    @Test
    void aListShowsOnlyTheCallersServersWhateverTheQueryStringSays() {
        // GIVEN
        BobsServer before = BobsServer.now();
        String bobsToken = bob.send("GET", "/gameservers?limit=1", null)
                .body()
                .path("next_token")
                .asText(null);

        // WHEN
        List<ApiClient.Response> lists = new java.util.ArrayList<>();
        for (String field : FORGED_FIELDS) {
            lists.add(alice.send("GET", "/gameservers?" + field + "=" + BOB, null));
        }
        lists.add(alice.send("GET", "/gameservers?owner=bob&sub=bob&username=bob&limit=100", null));
        lists.add(alice.send(
                "GET",
                "/gameservers",
                null,
                List.of(
                        Map.entry("X-Owner", BOB),
                        Map.entry("Authorization", "Bearer " + BOB),
                        Map.entry("X-Forwarded-User", BOB))));
        ApiClient.Response withBobsToken =
                bobsToken == null ? null : alice.send("GET", "/gameservers?next_token=" + bobsToken, null);

        // THEN
        for (ApiClient.Response list : lists) {
            assertEquals(200, list.status(), list.body().toString());
            assertEquals(Set.of(alicesId), ids(list.body()), "only alice's server");
        }
        if (withBobsToken != null) {
            assertTrue(
                    withBobsToken.status() == 400 || withBobsToken.status() == 200,
                    withBobsToken.body().toString());
            assertFalse(ids(withBobsToken.body()).contains(bobsId), "bob's token does not open bob's list");
        }
        before.assertUnchanged();
        assertOnlyAliceAndBobHaveItems();
    }

    @Test
    void identityFieldsInTheBodyAreRefusedOnCreateAndChangeAndWriteNothing() {
        // GIVEN
        BobsServer before = BobsServer.now();
        Map<String, AttributeValue> alicesBefore = environment.storedItem(ALICE, alicesId);
        int itemsBefore = items().size();

        for (String field : FORGED_FIELDS) {
            String forged = ", \"" + field + "\": \"" + BOB + "\"}";
            // WHEN
            ApiClient.Response create = alice.send("POST", "/gameservers", VALID_CREATE.replaceFirst("}$", forged));
            ApiClient.Response changeOwn =
                    alice.send("PATCH", "/gameservers/" + alicesId, VALID_CHANGE.replaceFirst("}$", forged));
            ApiClient.Response changeBobs =
                    alice.send("PATCH", "/gameservers/" + bobsId, VALID_CHANGE.replaceFirst("}$", forged));

            // THEN
            for (ApiClient.Response refused : List.of(create, changeOwn, changeBobs)) {
                assertEquals(400, refused.status(), field + ": " + refused.body());
                assertEquals("unknown_field", refused.body().path("error").asText());
            }
        }
        assertEquals(itemsBefore, items().size(), "nothing created");
        assertEquals(alicesBefore, environment.storedItem(ALICE, alicesId), "alice's own server unchanged");
        before.assertUnchanged();
        assertOnlyAliceAndBobHaveItems();
    }

    @Test
    void identityInTheQueryStringOrInExtraHeadersIsIgnoredAndBobsServerStaysNotFound() {
        // GIVEN
        BobsServer before = BobsServer.now();
        String forgedQuery = FORGED_FIELDS.stream().map(f -> f + "=" + BOB).collect(Collectors.joining("&"));
        List<Map.Entry<String, String>> forgedHeaders = List.of(
                Map.entry("X-Owner", BOB),
                Map.entry("Authorization", "Bearer junk.junk.junk"),
                Map.entry("X-Forwarded-User", BOB),
                Map.entry("X-Amzn-Oidc-Identity", BOB),
                Map.entry("X-Username", BOB));

        // WHEN / THEN
        for (String method : List.of("GET", "PATCH", "DELETE")) {
            String body = method.equals("PATCH") ? VALID_CHANGE : null;
            ApiClient.Response viaQuery = alice.send(method, "/gameservers/" + bobsId + "?" + forgedQuery, body);
            ApiClient.Response viaHeaders = alice.send(method, "/gameservers/" + bobsId, body, forgedHeaders);
            for (ApiClient.Response refused : List.of(viaQuery, viaHeaders)) {
                assertEquals(404, refused.status(), method + " " + refused.body());
                assertEquals("not_found", refused.body().path("error").asText());
            }
        }
        // a create with forged identity beside it is alice's own
        ApiClient.Response created = alice.send("POST", "/gameservers?" + forgedQuery, VALID_CREATE, forgedHeaders);
        assertEquals(201, created.status(), created.body().toString());
        String createdId = created.body().path("gameserver_id").asText();
        assertFalse(environment.storedItem(ALICE, createdId).isEmpty(), "stored under alice");
        assertTrue(environment.storedItem(BOB, createdId).isEmpty(), "not under bob");
        assertEquals(
                ALICE,
                environment.storedItem(ALICE, createdId).get("owner_name").s());
        before.assertUnchanged();
        assertOnlyAliceAndBobHaveItems();
        assertEquals(202, alice.delete(createdId).status());
        Await.until(
                DEADLINE,
                createdId + " deleted, so later tests see a table at rest",
                () -> environment.storedItem(ALICE, createdId).isEmpty());
    }

    @Test
    void aMissingOrUnusableIdentityIsUnauthorizedOnEveryRouteAndWritesNothing() {
        // GIVEN
        BobsServer before = BobsServer.now();
        Map<String, Map<String, AttributeValue>> itemsBefore = items();
        List<ApiClient> unidentified = List.of(
                new ApiClient(environment.controlPlane().apiUrl(), null),
                new ApiClient(environment.controlPlane().apiUrl(), ""),
                new ApiClient(environment.controlPlane().apiUrl(), " "),
                new ApiClient(environment.controlPlane().apiUrl(), "b".repeat(129)));

        // WHEN / THEN
        for (ApiClient nobody : unidentified) {
            for (String[] route : routes(bobsId)) {
                ApiClient.Response refused = nobody.send(
                        route[0],
                        route[1],
                        route[2],
                        List.of(Map.entry("X-Owner", BOB), Map.entry("Authorization", "Bearer " + BOB)));
                assertEquals(401, refused.status(), route[0] + " " + route[1] + ": " + refused.body());
                assertEquals("unauthorized", refused.body().path("error").asText());
                assertEquals(Set.of("error", "message"), fieldNames(refused.body()));
            }
        }
        assertEquals(itemsBefore, items(), "nothing written");
        before.assertUnchanged();
    }

    @Test
    void aSecondIdentityHeaderIsUnauthorizedInsteadOfNamingEitherOwner() {
        // GIVEN
        BobsServer before = BobsServer.now();
        Map<String, Map<String, AttributeValue>> itemsBefore = items();

        // WHEN / THEN
        for (String[] route : routes(bobsId)) {
            ApiClient.Response refused = alice.send(route[0], route[1], route[2], List.of(Map.entry("X-User", BOB)));
            assertEquals(401, refused.status(), route[0] + " " + route[1] + ": " + refused.body());
            assertEquals("unauthorized", refused.body().path("error").asText());
        }
        assertEquals(itemsBefore, items(), "nothing written");
        before.assertUnchanged();
    }

    @Test
    void aPathThatIsNotValidPercentEncodingIsA400AndWritesNothing() {
        // GIVEN
        Map<String, Map<String, AttributeValue>> itemsBefore = items();

        // WHEN
        List<String> statusLines = List.of(
                rawStatusLine("GET /gameservers/%zz HTTP/1.1"),
                rawStatusLine("DELETE /gameservers/gs-%" + " HTTP/1.1"),
                rawStatusLine("GET /gameservers?limit=%G1 HTTP/1.1"));

        // THEN
        for (String statusLine : statusLines) {
            assertTrue(statusLine.startsWith("HTTP/1.1 400"), statusLine);
        }
        assertEquals(itemsBefore, items());
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Bob's item as the table holds it and his stack as CloudFormation describes it. */
    private record BobsServer(
            Map<String, AttributeValue> item, String stackStatus, Map<String, String> parameters, Object lastUpdated) {

        static BobsServer now() {
            Stack stack = cloudFormation
                    .describeStacks(r -> r.stackName("stackfleet-" + bobsId))
                    .stacks()
                    .get(0);
            return new BobsServer(
                    environment.storedItem(BOB, bobsId),
                    stack.stackStatusAsString(),
                    EndToEndIT.configParameters(stack),
                    stack.lastUpdatedTime());
        }

        void assertUnchanged() {
            assertEquals("ACTIVE", item.get("status").s());
            assertEquals(this, now(), "bob's item and stack are as they were");
        }
    }

    /** Every route, aimed at this id, with a valid body where one is needed. */
    private static List<String[]> routes(String id) {
        return List.of(
                new String[] {"POST", "/gameservers", VALID_CREATE},
                new String[] {"GET", "/gameservers", null},
                new String[] {"GET", "/gameservers/" + id, null},
                new String[] {"PATCH", "/gameservers/" + id, VALID_CHANGE},
                new String[] {"DELETE", "/gameservers/" + id, null});
    }

    /** Every item of the game-server table by owner and id. */
    private static Map<String, Map<String, AttributeValue>> items() {
        try (var dynamoDb = environment.aws().dynamoDb()) {
            return dynamoDb
                    .scanPaginator(r -> r.tableName(LocalResources.TABLE_NAME).consistentRead(true))
                    .items()
                    .stream()
                    .collect(Collectors.toMap(
                            i -> i.get("owner").s() + "/"
                                    + i.get("gameserver_id").s(),
                            i -> i));
        }
    }

    private static void assertOnlyAliceAndBobHaveItems() {
        Set<String> owners = new HashSet<>();
        items().values().forEach(item -> owners.add(item.get("owner").s()));
        try (var dynamoDb = environment.aws().dynamoDb()) {
            dynamoDb.scanPaginator(r -> r.tableName(LocalResources.QUOTA_TABLE_NAME))
                    .items()
                    .forEach(item -> owners.add(item.get("owner").s()));
        }
        assertEquals(Set.of(ALICE, BOB), owners, "no item or quota slot for a forged owner");
    }

    private static Set<String> ids(JsonNode list) {
        Set<String> ids = new HashSet<>();
        list.path("items").forEach(item -> ids.add(item.path("gameserver_id").asText()));
        return ids;
    }

    private static Set<String> fieldNames(JsonNode body) {
        Set<String> names = new HashSet<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The status line for a request line sent as is (an HTTP client would refuse to send a bad escape). */
    private static String rawStatusLine(String requestLine) {
        var url = environment.controlPlane().apiUrl();
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout((int) DEADLINE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: " + url.getHost() + "\r\nX-User: " + ALICE
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.isEmpty()
                    ? "(connection closed without a response)"
                    : response.lines().findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
