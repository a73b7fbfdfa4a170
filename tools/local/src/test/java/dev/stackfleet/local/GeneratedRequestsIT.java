package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.api.RequestGenerators;
import dev.stackfleet.api.RequestGenerators.Body;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The API module's generated input ({@link RequestGenerators}) against the real store on the emulator, over HTTP
 * through the local gateway: fewer tries than on the in-memory store ({@code jqwik.tries.default}, 25 here).
 * Every request here must be refused (or, for a list, only read), so "nothing written" is checked by scanning both
 * tables before and after each try.
 *
 * <p>GIVEN alice owns one server and bob two, all ACTIVE by the real flow, and nothing else is running.
 */
class GeneratedRequestsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static TestEnvironment environment;
    private static ApiClient alice;
    private static String alicesId;
    private static List<String> bobsIds;
    private static String bobsToken;

    @BeforeContainer
    static void start() {
        environment = TestEnvironment.start("generated-requests");
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
        ApiClient bob = new ApiClient(environment.controlPlane().apiUrl(), "bob");
        alicesId = alice.create("{\"difficulty\": \"easy\", \"player_count\": 4}").body().path("gameserver_id").asText();
        bobsIds = List.of(bob.create("{\"difficulty\": \"hard\", \"player_count\": 8}"),
                        bob.create("{\"difficulty\": \"normal\", \"player_count\": 2}"))
                .stream().map(r -> r.body().path("gameserver_id").asText()).toList();
        Await.until(DEADLINE, "every server ACTIVE", () -> items().values().stream()
                .allMatch(item -> "ACTIVE".equals(item.get("status").s())) && items().size() == 3);
        bobsToken = bob.send("GET", "/gameservers?limit=1", null).body().path("next_token").asText(null);
    }

    @AfterContainer
    static void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Property
    void aCreateWithABodyThatCanNeverBeAcceptedIsADocumented4xxAndWritesNothing(
            @ForAll("rejectedBodies") Body body) {
        // GIVEN
        Tables before = Tables.now();

        // WHEN
        ApiClient.Response response = alice.send("POST", "/gameservers", body.text());

        // THEN
        assertDocumentedRejection(response, body.toString());
        before.assertUnchanged(body.toString());
    }

    @Property
    void aChangeOfAnotherOwnersOrAnUnknownServerIsADocumented4xxWhateverTheBodyAndWritesNothing(
            @ForAll("bodies") Body body, @ForAll("foreignIds") String id) {
        // GIVEN
        Tables before = Tables.now();

        // WHEN
        ApiClient.Response response = alice.send("PATCH", "/gameservers/" + id, body.text());

        // THEN
        assertDocumentedRejection(response, id + " " + body);
        before.assertUnchanged(body.toString());
    }

    @Property
    void anIdOtherThanTheCallersOwnIsNotFoundOrMissingOnEveryRouteAndWritesNothing(
            @ForAll("ids") String id, @ForAll("idMethods") String method) {
        // GIVEN
        Tables before = Tables.now();

        // WHEN
        ApiClient.Response response = alice.send(method, "/gameservers/" + encode(id),
                method.equals("PATCH") ? "{\"config\": {\"player_count\": 5}}" : null);

        // THEN
        assertDocumentedRejection(response, method + " " + id);
        assertEquals(id.isBlank() ? "missing_id" : "not_found", response.body().path("error").asText(),
                method + " " + id + ": " + response.body());
        before.assertUnchanged(method + " " + id);
    }

    @Property
    void aListWithGeneratedQueryParametersShowsOnlyTheCallersServersOrIsA400(
            @ForAll("queries") Map<String, String> query) {
        // GIVEN
        Tables before = Tables.now();
        String raw = query.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));

        // WHEN
        ApiClient.Response response = alice.send("GET", "/gameservers" + (raw.isEmpty() ? "" : "?" + raw), null);

        // THEN
        if (response.status() == 200) {
            Set<String> listed = new HashSet<>();
            response.body().path("items").forEach(item -> listed.add(item.path("gameserver_id").asText()));
            assertTrue(Set.of(alicesId).containsAll(listed), "only alice's servers: " + listed);
        } else {
            assertDocumentedRejection(response, "query " + query);
            assertTrue(Set.of("invalid_limit", "invalid_next_token").contains(response.body().path("error").asText()));
        }
        String limit = query.get("limit");
        if ((limit == null || limit.matches("[1-9][0-9]?|100")) && query.get("next_token") == null) {
            assertEquals(200, response.status(), "a valid list is answered: " + response.body());
        }
        before.assertUnchanged("query " + query);
    }

    @Property
    void anUnusableIdentityIsA401OnEveryRouteAndWritesNothing(
            @ForAll("unusableIdentities") List<String> identity, @ForAll("routes") String route) {
        // GIVEN
        Tables before = Tables.now();
        String[] methodAndPath = route.replace("{id}", alicesId).split(" ");
        String body = methodAndPath[0].equals("POST") ? "{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4}}"
                : methodAndPath[0].equals("PATCH") ? "{\"config\": {\"player_count\": 5}}" : null;

        // WHEN
        ApiClient.Response response = new ApiClient(environment.controlPlane().apiUrl(), null).send(
                methodAndPath[0], methodAndPath[1], body, identity.stream().map(v -> Map.entry("X-User", v)).toList());

        // THEN
        assertDocumentedRejection(response, identity + " " + route);
        assertEquals(401, response.status());
        before.assertUnchanged(identity + " " + route);
    }

    // ---------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Body> rejectedBodies() {
        return RequestGenerators.bodies().filter(Body::mustBeRejected);
    }

    @Provide
    Arbitrary<Body> bodies() {
        return RequestGenerators.bodies();
    }

    @Provide
    Arbitrary<String> foreignIds() {
        return Arbitraries.oneOf(Arbitraries.of(bobsIds),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz234567").ofLength(20).map(s -> "gs-" + s));
    }

    @Provide
    Arbitrary<String> ids() {
        return RequestGenerators.ids(alicesId, bobsIds).filter(id -> !id.equals(alicesId) && !id.isEmpty());
    }

    @Provide
    Arbitrary<String> idMethods() {
        return Arbitraries.of("GET", "PATCH", "DELETE");
    }

    @Provide
    Arbitrary<Map<String, String>> queries() {
        Arbitrary<String> tokens = Arbitraries.oneOf(RequestGenerators.tokens(),
                bobsToken == null ? Arbitraries.just("") : Arbitraries.just(bobsToken));
        return Combinators.combine(RequestGenerators.limits().injectNull(0.3), tokens.injectNull(0.3),
                        Arbitraries.<List<String>>of(List.of(), List.of("owner"), List.of("owner", "sub", "username")))
                .as((limit, token, forged) -> {
                    Map<String, String> query = new LinkedHashMap<>();
                    if (limit != null) {
                        query.put("limit", limit);
                    }
                    if (token != null) {
                        query.put("next_token", token);
                    }
                    forged.forEach(name -> query.put(name, "bob"));
                    return query;
                });
    }

    /** X-User header values the API must refuse: none, empty, blank, too long, or the header twice. */
    @Provide
    Arbitrary<List<String>> unusableIdentities() {
        return Arbitraries.oneOf(
                Arbitraries.<List<String>>of(List.of(), List.of(""), List.of(" "), List.of("alice", "bob"),
                        List.of("alice", "alice")),
                Arbitraries.strings().alpha().ofMinLength(129).ofMaxLength(2000).map(List::of));
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of("POST /gameservers", "GET /gameservers", "GET /gameservers/{id}",
                "PATCH /gameservers/{id}", "DELETE /gameservers/{id}");
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A documented rejection: a 4xx and exactly {@code {"error", "message"}} with a known code. */
    private static void assertDocumentedRejection(ApiClient.Response response, String request) {
        assertTrue(RequestGenerators.DOCUMENTED_STATUSES.contains(response.status()),
                "documented 4xx, got " + response.status() + " " + response.body() + " for " + request);
        JsonNode body = response.body();
        List<String> members = new ArrayList<>();
        body.fieldNames().forEachRemaining(members::add);
        assertEquals(List.of("error", "message"), members, body.toString());
        assertTrue(RequestGenerators.DOCUMENTED_CODES.contains(body.get("error").asText()), body.toString());
        assertTrue(body.get("message").isTextual() && !body.get("message").asText().isBlank(), body.toString());
    }

    /** Both tables, item by item. */
    private record Tables(Map<String, Map<String, AttributeValue>> servers, Set<Map<String, AttributeValue>> quotas) {

        static Tables now() {
            try (var dynamoDb = environment.aws().dynamoDb()) {
                return new Tables(items(), dynamoDb.scanPaginator(r -> r.tableName(LocalResources.QUOTA_TABLE_NAME)
                        .consistentRead(true)).items().stream().collect(Collectors.toSet()));
            }
        }

        void assertUnchanged(String request) {
            assertEquals(this, now(), "nothing written for " + request);
        }
    }

    private static Map<String, Map<String, AttributeValue>> items() {
        try (var dynamoDb = environment.aws().dynamoDb()) {
            return dynamoDb.scanPaginator(r -> r.tableName(LocalResources.TABLE_NAME).consistentRead(true)).items()
                    .stream().collect(Collectors.toMap(i -> i.get("owner").s() + "/" + i.get("gameserver_id").s(),
                            i -> i));
        }
    }

    /** Percent-encodes every byte but the unreserved ones, so the gateway decodes exactly this text. */
    private static String encode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }
}
