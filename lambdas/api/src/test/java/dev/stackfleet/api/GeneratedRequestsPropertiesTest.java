package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import java.nio.charset.StandardCharsets;
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

    /** Every error code the API documents (handlers' Javadoc, {@code ConfigValidator}, the store's token check). */
    static final Set<String> DOCUMENTED_CODES = Set.of("invalid_json", "invalid_body", "missing_body",
            "missing_config", "invalid_type", "unknown_field", "missing_field", "invalid_value", "empty_change",
            "body_too_large", "unauthorized", "quota_exceeded", "not_found", "missing_id", "invalid_limit",
            "invalid_next_token", "deletion_in_progress", "conflict");
    static final Set<Integer> DOCUMENTED_STATUSES = Set.of(400, 401, 403, 404, 409, 413);

    /** Top-level members someone might send to pass as another owner, or to set what only the service sets. */
    static final List<String> FORGED_MEMBERS = List.of("owner", "username", "sub", "owner_name", "gameserver_id",
            "generation", "status", "placement", "stack_name", "delete_requested", "iss", "Owner", "CONFIG");

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
        Arbitrary<Body> anyText = Arbitraries.strings().all().ofMaxLength(300).map(s -> Body.maybe("text", s));
        Arbitrary<Body> anyJson = json(3).map(s -> Body.maybe("json", s));
        Arbitrary<Body> anyConfig = configMembers().map(m -> Body.maybe("config", "{\"config\": " + m + "}"));
        Arbitrary<Body> forged = Combinators.combine(Arbitraries.of(FORGED_MEMBERS), jsonScalar(), validConfig())
                .as((name, value, config) -> Body.rejected("forged member",
                        "{\"config\": " + config + ", " + quote(name) + ": " + value + "}"));
        Arbitrary<Body> badValue = badConfigValue().map(m -> Body.rejected("bad value", "{\"config\": {" + m + "}}"));
        Arbitrary<Body> huge = Arbitraries.integers().between(ApiHandler.MAX_BODY_BYTES, 4 * ApiHandler.MAX_BODY_BYTES)
                .map(n -> Body.rejected("huge", "{\"config\": {\"seed\": \"" + "x".repeat(n) + "\"}}"));
        Arbitrary<Body> deep = Arbitraries.integers().between(1, 8000)
                .map(n -> Body.rejected("nested", "{\"config\": {\"seed\": " + "[".repeat(n) + "]".repeat(n) + "}}"));
        Arbitrary<Body> base64 = Arbitraries.strings().all().ofMaxLength(200)
                .map(s -> Body.base64("base64 junk", s, false));
        Arbitrary<Body> base64Valid = validConfig().map(c -> Body.base64("base64 config", "{\"config\": " + c + "}", true));
        Arbitrary<Body> blank = Arbitraries.of("", " ", "\n\t", "null", "{}", "[]", "\"config\"", "0")
                .map(s -> Body.rejected("blank", s));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, anyText), net.jqwik.api.Tuple.of(3, anyJson),
                net.jqwik.api.Tuple.of(6, anyConfig), net.jqwik.api.Tuple.of(3, forged),
                net.jqwik.api.Tuple.of(4, badValue), net.jqwik.api.Tuple.of(1, huge),
                net.jqwik.api.Tuple.of(1, deep), net.jqwik.api.Tuple.of(1, base64),
                net.jqwik.api.Tuple.of(1, base64Valid), net.jqwik.api.Tuple.of(1, blank));
    }

    /** A body, whether the generator knows it can never be accepted, and whether it travels base64-encoded. */
    record Body(String kind, String text, boolean encoded, boolean mustBeRejected) {
        static Body maybe(String kind, String text) {
            return new Body(kind, text, false, false);
        }

        static Body rejected(String kind, String text) {
            return new Body(kind, text, false, true);
        }

        static Body base64(String kind, String text, boolean mayBeValid) {
            return new Body(kind, Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)), true,
                    !mayBeValid);
        }

        APIGatewayV2HTTPEvent applyTo(APIGatewayV2HTTPEvent event) {
            event.setBody(text);
            event.setIsBase64Encoded(encoded);
            return event;
        }

        @Override
        public String toString() {
            return kind + (encoded ? " (base64)" : "") + ": "
                    + (text.length() > 200 ? text.substring(0, 200) + "... (" + text.length() + " chars)" : text);
        }
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
        String own = ApiFixture.SEEDED_ID;
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz234567").ofLength(20).map(s -> "gs-" + s),
                Arbitraries.of(BOB_ID, BOB_OTHER_ID, own, own.toUpperCase(), " " + own, own + " ", own + "\n",
                        own + "/", "/" + own, "../" + own, own + "/..", "..%2F" + own, own.replace("-", "%2D"),
                        "gs-" + "a".repeat(19), "gs-" + "a".repeat(21), "gs-abcdefghijklmnopqrs1", "gs-abcdefghijklmnopqrsT",
                        "%00", "..", ".", "/", "%2e%2e%2f", "gs-abcdefghijklmnopqrst%00", "gs-abcdefghijklmnopqrst\u0000",
                        "gs-ａbcdefghijklmnopqrst", "*", "gs-*", "' OR '1'='1", "", " "),
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
        Arbitrary<String> limits = Arbitraries.oneOf(
                Arbitraries.integers().between(-1000, 1000).map(String::valueOf),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("", " 5", "5 ", "+5", "05", "0x10", "1e1", "5.0", "2147483648", "-2147483649",
                        "99999999999999999999", "NaN", "١٠", "5,5"),
                Arbitraries.just((String) null));
        Arbitrary<String> tokens = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/")
                        .ofMaxLength(80),
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
    // Generators of JSON text

    /** Any JSON text up to this depth, valid or not. */
    static Arbitrary<String> json(int depth) {
        if (depth == 0) {
            return jsonScalar();
        }
        Arbitrary<String> inner = json(depth - 1);
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> object = Combinators.combine(keys(), inner).as((k, v) -> quote(k) + ":" + v)
                .list().ofMaxSize(4).map(members -> "{" + String.join(",", members) + "}");
        return Arbitraries.oneOf(jsonScalar(), array, object);
    }

    static Arbitrary<String> jsonScalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-0", "1", "4", "20", "21", "-1", "2.5", "4.0", "1e1",
                        "1e400", "-1e400", "2147483648", "-2147483649", "99999999999999999999", "0x10", "NaN",
                        "Infinity", "01", "\"\"", "\"easy\"", "\"4\"", "'easy'", "{", "]", "\"\\ud800\"", "\"\\u0000\""),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.strings().all().ofMaxLength(70).map(GeneratedRequestsPropertiesTest::quote));
    }

    /** The members of a config object: known and unknown keys, any values. */
    static Arbitrary<String> configMembers() {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("difficulty", "player_count", "seed"), keys());
        Arbitrary<String> value = Arbitraries.oneOf(jsonScalar(), json(2), Arbitraries.of("\"peaceful\"", "\"hard\"",
                "\"normal\"", "\"s33d\"", "\"a-b_C9\"", "1", "20", "7"));
        return Combinators.combine(key, value).as((k, v) -> quote(k) + ": " + v).list().ofMaxSize(5)
                .map(members -> "{" + String.join(", ", members) + "}");
    }

    /** A valid config, rendered as JSON. */
    static Arbitrary<String> validConfig() {
        return Combinators.combine(Arbitraries.of("peaceful", "easy", "normal", "hard"),
                        Arbitraries.integers().between(1, 20),
                        Arbitraries.strings().withChars("ABCXYZabcxyz0189_-").ofMinLength(1).ofMaxLength(64))
                .as((d, p, s) -> "{\"difficulty\": " + quote(d) + ", \"player_count\": " + p + ", \"seed\": "
                        + quote(s) + "}");
    }

    /** One config member that can never be accepted, whatever else the config says. */
    static Arbitrary<String> badConfigValue() {
        Arbitrary<String> badDifficulty = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20)
                        .filter(s -> !Set.of("peaceful", "easy", "normal", "hard").contains(s)).map(GeneratedRequestsPropertiesTest::quote),
                Arbitraries.of("1", "null", "true", "[]", "{}", "[\"easy\"]", "{\"value\": \"easy\"}"))
                .map(v -> "\"difficulty\": " + v);
        Arbitrary<String> badCount = Arbitraries.oneOf(
                Arbitraries.longs().filter(n -> n < 1 || n > 20).map(String::valueOf),
                Arbitraries.of("2.5", "4.0", "1e1", "\"4\"", "null", "true", "[4]", "{}", "99999999999999999999",
                        "1e400", "-0", "0"))
                .map(v -> "\"player_count\": " + v);
        Arbitrary<String> badSeed = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(80).filter(s -> !s.matches("[A-Za-z0-9_-]{1,64}"))
                        .map(GeneratedRequestsPropertiesTest::quote),
                Arbitraries.strings().withChars("abc").ofLength(65).map(GeneratedRequestsPropertiesTest::quote),
                Arbitraries.of("\"abc\\n\"", "\"abc\\u0000\"", "42", "null", "[\"abc\"]", "\"\""))
                .map(v -> "\"seed\": " + v);
        Arbitrary<String> unknownKey = Combinators.combine(
                        keys().filter(k -> !Set.of("difficulty", "player_count", "seed").contains(k)), jsonScalar())
                .as((k, v) -> quote(k) + ": " + v);
        return Arbitraries.oneOf(badDifficulty, badCount, badSeed, unknownKey);
    }

    static Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("Difficulty", "PLAYER_COUNT", "player_count ", "seed\u0000", "__proto__", "owner",
                        "ContainerImage", "config", "$ref", ""));
    }

    /** A JSON string literal of any Java string (control characters escaped, lone surrogates kept). */
    static String quote(String s) {
        return new TextNode(s).toString();
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
            assertTrue(DOCUMENTED_STATUSES.contains(response.status()),
                    "documented 4xx, got " + response.status() + " " + response.body() + " for " + request);
            assertEquals("application/json", response.headers().get("Content-Type"));
            JsonNode body = response.body();
            List<String> members = new ArrayList<>();
            body.fieldNames().forEachRemaining(members::add);
            assertEquals(List.of("error", "message"), members, body.toString());
            assertTrue(body.get("error").isTextual() && DOCUMENTED_CODES.contains(body.get("error").asText()),
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
