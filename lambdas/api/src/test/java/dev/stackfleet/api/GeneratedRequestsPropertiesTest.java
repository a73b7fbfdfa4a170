package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.api.RequestGenerators.Body;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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

/**
 * Generated bad input through the real handlers, as API Gateway would deliver it (events from
 * {@code test-events/api}, changed by the generators), against the in-memory store.
 *
 * <p>For every generated request: never a 5xx; a rejection is a documented 4xx whose body is exactly
 * {@code {"error", "message"}} with a known code, and leaves the store exactly as it was; an accepted request
 * only ever touches the caller's own servers. The number of tries per property is {@code jqwik.tries.default}
 * (the api module's pom sets a small default; {@code -Djqwik.tries.default=20000} soaks).
 *
 * <p>GIVEN alice ({@link ApiFixture#ALICE}) owns {@link ApiFixture#SEEDED_ID} and bob owns two servers.
 */
class GeneratedRequestsPropertiesTest {

    static final String BOB_ID = "gs-bbbbbbbbbbbbbbbbbbbb";
    static final String BOB_OTHER_ID = "gs-bbbbbbbbbbbbbbbbbbbc";

    // ---------------------------------------------------------------------------------------------------------
    // Bodies

    @Property
    void aGeneratedBodyForACreateIsAnsweredWith201OrADocumented4xxAndARejectionWritesNothing(
            @ForAll("bodies") Body body) {
        // GIVEN
        World world = new World();
        APIGatewayV2HTTPEvent event = body.applyTo(ApiFixture.event("create.json"));

        // WHEN
        ApiFixture.Response response = world.api.send(event);

        // THEN
        if (response.status() == 201) {
            assertFalse(body.mustBeRejected(), "accepted: " + body);
            GameServer created = world.onlyNewServer();
            assertEquals(ApiFixture.ALICE, created.owner());
            assertEquals("alice", created.ownerName());
            assertEquals(created.gameServerId(), response.body().path("gameserver_id").asText());
        } else {
            world.assertRejectedAndNothingWritten(response, body.toString());
        }
    }

    @Property
    void aGeneratedBodyForAChangeIsAnsweredWith200OrADocumented4xxAndARejectionWritesNothing(
            @ForAll("bodies") Body body) {
        // GIVEN
        World world = new World();
        APIGatewayV2HTTPEvent event = body.applyTo(ApiFixture.event("update.json"));

        // WHEN
        ApiFixture.Response response = world.api.send(event);

        // THEN
        if (response.status() == 200) {
            assertFalse(body.mustBeRejected(), "accepted: " + body);
            world.assertOnlyAlicesSeededServerMayHaveChanged();
        } else {
            world.assertRejectedAndNothingWritten(response, body.toString());
        }
    }

    @Provide
    Arbitrary<Body> bodies() {
        return RequestGenerators.bodies();
    }


    // ---------------------------------------------------------------------------------------------------------
    // Paths

    @Property
    void anIdOtherThanTheCallersOwnServerIsNotFoundOnEveryRouteAndNothingIsWritten(
            @ForAll("ids") String id, @ForAll("idRoutes") String file) {
        // GIVEN
        World world = new World();
        APIGatewayV2HTTPEvent event = ApiFixture.event(file);
        Map<String, String> path = new HashMap<>();
        path.put("id", id);
        event.setPathParameters(id == null ? null : path);
        event.setRawPath("/gameservers/" + id);

        // WHEN
        ApiFixture.Response response = world.api.send(event);

        // THEN
        if (ApiFixture.SEEDED_ID.equals(id)) {
            assertTrue(response.status() / 100 == 2, response.body().toString());
            world.assertOnlyAlicesSeededServerMayHaveChanged();
            return;
        }
        world.assertRejectedAndNothingWritten(response, "id " + id);
        if (id == null || id.isBlank()) {
            assertEquals("missing_id", response.error());
        } else {
            assertEquals(404, response.status(), "bob's server and unknown ids look the same");
            assertEquals("not_found", response.error());
        }
    }

    @Provide
    Arbitrary<String> idRoutes() {
        return Arbitraries.of("get.json", "update.json", "delete.json");
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(RequestGenerators.ids(ApiFixture.SEEDED_ID, List.of(BOB_ID, BOB_OTHER_ID)),
                Arbitraries.just((String) null));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Query strings

    @Property
    void aListWithGeneratedQueryParametersShowsOnlyTheCallersServersOrIsA400AndWritesNothing(
            @ForAll("queries") Map<String, String> query) {
        // GIVEN
        World world = new World();
        APIGatewayV2HTTPEvent event = ApiFixture.event("list.json");
        event.setQueryStringParameters(query);

        // WHEN
        ApiFixture.Response response = world.api.send(event);

        // THEN
        assertEquals(world.before, world.api.store.snapshot(), "a list writes nothing");
        if (response.status() == 200) {
            Set<String> listed = new java.util.HashSet<>();
            response.body().path("items").forEach(item -> listed.add(item.path("gameserver_id").asText()));
            assertTrue(Set.of(ApiFixture.SEEDED_ID).containsAll(listed), "only alice's servers: " + listed);
        } else {
            world.assertRejectedAndNothingWritten(response, "query " + query);
            assertTrue(Set.of("invalid_limit", "invalid_next_token").contains(response.error()), response.error());
        }
        String limit = query.get("limit");
        if ((limit == null || limit.matches("[1-9][0-9]?|100")) && query.get("next_token") == null) {
            assertEquals(200, response.status(), "a valid list is answered: " + response.body());
            assertEquals(1, response.body().path("items").size());
        }
    }

    @Provide
    Arbitrary<Map<String, String>> queries() {
        Arbitrary<String> limits = Arbitraries.oneOf(RequestGenerators.limits(), Arbitraries.just((String) null));
        Arbitrary<String> tokens = Arbitraries.oneOf(
                RequestGenerators.tokens(),
                // a token of bob's list, and tampered ones: owner and id spelled in by hand
                Arbitraries.of(bobsToken(), "t:" + ApiFixture.BOB + "/" + BOB_OTHER_ID,
                        "t:" + ApiFixture.ALICE + "/../" + ApiFixture.BOB + "/" + BOB_ID,
                        "t:" + ApiFixture.ALICE + "/", "t:", "t:" + ApiFixture.ALICE,
                        Base64.getUrlEncoder().encodeToString(("t:" + ApiFixture.BOB + "/" + BOB_ID).getBytes())),
                Arbitraries.just((String) null));
        Arbitrary<String> forgedOwner = Arbitraries.of(ApiFixture.BOB, "bob", "", "*");
        Arbitrary<List<String>> forgedParameters = Arbitraries.of(List.of(), List.of("owner"), List.of("sub", "username"),
                List.of("owner", "sub", "username", "x-user"));
        return Combinators.combine(limits, tokens, forgedOwner, forgedParameters)
                .as((limit, token, forged, forgedNames) -> {
                    Map<String, String> query = new LinkedHashMap<>();
                    if (limit != null) {
                        query.put("limit", limit);
                    }
                    if (token != null) {
                        query.put("next_token", token);
                    }
                    forgedNames.forEach(name -> query.put(name, forged));
                    return query;
                });
    }

    /** The next_token bob's first page of one ends with. */
    private static String bobsToken() {
        World world = new World();
        APIGatewayV2HTTPEvent event = ApiFixture.event("list.json");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(ApiFixture.claims(ApiFixture.BOB, "bob"));
        event.setQueryStringParameters(Map.of("limit", "1"));
        String token = world.api.send(event).body().path("next_token").asText(null);
        assertTrue(token != null, "bob has a second page");
        return token;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Identity

    @Property
    void onEveryRouteOnlyTheAuthorizersSubjectClaimIdentifiesTheCallerAndABadOneIsA401ThatWritesNothing(
            @ForAll("identities") Identity identity, @ForAll("routes") String file) {
        // GIVEN
        World world = new World();
        APIGatewayV2HTTPEvent event = identity.applyTo(ApiFixture.event(file));

        // WHEN
        ApiFixture.Response response = world.api.send(event);

        // THEN
        String owner = identity.validSubject();
        if (owner == null) {
            world.assertRejectedAndNothingWritten(response, identity.toString());
            assertEquals(401, response.status());
            assertEquals("unauthorized", response.error());
            return;
        }
        assertNotEquals(401, response.status(), "a valid subject is accepted as the caller: " + identity);
        assertTrue(response.status() < 500, response.body().toString());
        if (!file.equals("list.json") && !file.equals("create.json")) {
            // alice's seeded server: another subject sees and changes nothing, whatever the rest of the request says
            if (owner.equals(ApiFixture.ALICE)) {
                assertEquals(2, response.status() / 100, response.body().toString());
            } else {
                assertEquals(404, response.status(), identity.toString());
                world.assertRejectedAndNothingWritten(response, identity.toString());
            }
        }
        if (file.equals("create.json")) {
            assertEquals(201, response.status(), response.body().toString());
            assertEquals(owner, world.onlyNewServer().owner(), "the server is the subject's, not the forged owner's");
        }
        if (file.equals("list.json")) {
            Set<String> expected = owner.equals(ApiFixture.ALICE) ? Set.of(ApiFixture.SEEDED_ID)
                    : owner.equals(ApiFixture.BOB) ? Set.of(BOB_ID, BOB_OTHER_ID) : Set.of();
            Set<String> listed = new java.util.HashSet<>();
            response.body().path("items").forEach(item -> listed.add(item.path("gameserver_id").asText()));
            assertEquals(expected, listed);
        }
        world.assertOtherOwnersUnchanged(owner);
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of("create.json", "list.json", "get.json", "update.json", "delete.json");
    }

    @Provide
    Arbitrary<Identity> identities() {
        Arbitrary<String> subjects = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().all().ofMinLength(120).ofMaxLength(400),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(3)
                        .map(c -> "7d1c2b3a" + c),
                Arbitraries.of(ApiFixture.ALICE, ApiFixture.BOB, "", " ", "\t", "\u0085", ApiFixture.ALICE + "\u007f",
                        ApiFixture.ALICE + " ", ApiFixture.ALICE.toUpperCase(), "s".repeat(128), "s".repeat(129)),
                Arbitraries.just((String) null));
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.of("alice", "bob", ApiFixture.BOB), Arbitraries.just((String) null));
        Arbitrary<Integer> missing = Arbitraries.of(0, 0, 0, 1, 2, 3);
        Arbitrary<Boolean> forge = Arbitraries.of(true, false);
        return Combinators.combine(subjects, names, names, missing, forge)
                .as((sub, username, iss, missingPart, forged) -> new Identity(sub, username, iss, missingPart, forged));
    }

    /**
     * Claims of a token as the JWT authorizer hands them over; {@code missingPart} 1..3 drops the JWT, the
     * authorizer or the whole request context; {@code forged} adds claims, headers and query
     * parameters that name bob or alice.
     */
    record Identity(String sub, String username, String iss, int missingPart, boolean forged) {

        APIGatewayV2HTTPEvent applyTo(APIGatewayV2HTTPEvent event) {
            Map<String, String> claims = new HashMap<>();
            if (sub != null) {
                claims.put("sub", sub);
            }
            if (username != null) {
                claims.put("username", username);
            }
            if (iss != null) {
                claims.put("iss", iss);
            }
            if (forged) {
                claims.put("owner", ApiFixture.BOB);
                claims.put("custom:owner", ApiFixture.ALICE);
                claims.put("cognito:username", "alice");
                Map<String, String> headers = new HashMap<>(event.getHeaders());
                headers.put("x-user", ApiFixture.ALICE);
                headers.put("x-owner", ApiFixture.ALICE);
                headers.put("authorization", "Bearer junk." + ApiFixture.ALICE);
                event.setHeaders(headers);
                event.setQueryStringParameters(Map.of("owner", ApiFixture.ALICE, "sub", ApiFixture.ALICE,
                        "username", "alice"));
            }
            event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
            switch (missingPart) {
                case 1 -> event.getRequestContext().getAuthorizer().setJwt(null);
                case 2 -> event.getRequestContext().setAuthorizer(null);
                case 3 -> event.setRequestContext(null);
                default -> {
                }
            }
            return event;
        }

        /** The owner the API must act for, or null when it must answer 401. */
        String validSubject() {
            if (missingPart != 0 || sub == null || sub.isBlank() || sub.length() > Caller.MAX_LENGTH
                    || sub.chars().anyMatch(Character::isISOControl)) {
                return null;
            }
            return sub;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The API on a fresh store: alice's server and two of bob's, and a snapshot of it all. */
    static final class World {
        final ApiFixture api = new ApiFixture();
        final Map<String, Object> before;

        World() {
            api.seedAliceServer();
            for (String id : List.of(BOB_ID, BOB_OTHER_ID)) {
                api.store.seed(GameServer.requested(ApiFixture.BOB, "bob", id, new GameServerConfig("hard", 8, "b0b"),
                        ApiFixture.CONFIG.placement(), ApiFixture.NOW.minusSeconds(120)));
            }
            before = api.store.snapshot();
        }

        /** A documented rejection: a 4xx, exactly {@code {"error", "message"}} with a known code, nothing written. */
        void assertRejectedAndNothingWritten(ApiFixture.Response response, String request) {
            assertTrue(RequestGenerators.DOCUMENTED_STATUSES.contains(response.status()),
                    "documented 4xx, got " + response.status() + " " + response.body() + " for " + request);
            assertEquals("application/json", response.headers().get("Content-Type"));
            JsonNode body = response.body();
            List<String> members = new ArrayList<>();
            body.fieldNames().forEachRemaining(members::add);
            assertEquals(List.of("error", "message"), members, body.toString());
            assertTrue(body.get("error").isTextual() && RequestGenerators.DOCUMENTED_CODES.contains(body.get("error").asText()),
                    "documented code: " + body);
            assertTrue(body.get("message").isTextual() && !body.get("message").asText().isBlank(), body.toString());
            assertEquals(before, api.store.snapshot(), "nothing written for " + request);
        }

        /** The one server an accepted create added; nothing else changed. */
        GameServer onlyNewServer() {
            Set<String> old = servers(before).keySet();
            List<GameServer> added = api.store.all().stream()
                    .filter(s -> !old.contains(s.owner() + "/" + s.gameServerId())).toList();
            assertEquals(1, added.size(), "one server created");
            assertTrue(servers(api.store.snapshot()).entrySet().containsAll(servers(before).entrySet()),
                    "no stored server changed");
            return added.getFirst();
        }

        void assertOnlyAlicesSeededServerMayHaveChanged() {
            Map<String, GameServer> after = new HashMap<>(servers(api.store.snapshot()));
            Map<String, GameServer> was = new HashMap<>(servers(before));
            after.remove(ApiFixture.ALICE + "/" + ApiFixture.SEEDED_ID);
            was.remove(ApiFixture.ALICE + "/" + ApiFixture.SEEDED_ID);
            assertEquals(was, after, "only alice's own server may change");
        }

        /** No server of an owner other than this one was added or changed. */
        void assertOtherOwnersUnchanged(String owner) {
            assertEquals(othersOf(owner, before), othersOf(owner, api.store.snapshot()),
                    "servers of owners other than " + owner + " are untouched");
        }

        private static Map<String, GameServer> othersOf(String owner, Map<String, Object> snapshot) {
            return servers(snapshot).entrySet().stream().filter(e -> !e.getValue().owner().equals(owner))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, GameServer> servers(Map<String, Object> snapshot) {
            return (Map<String, GameServer>) snapshot.get("servers");
        }
    }
}
