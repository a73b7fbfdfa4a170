package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client mistake gets a 4xx with an error code and a message, and writes nothing.
 * GIVEN alice has one server WHEN a rejected request arrives THEN the status and code are as listed,
 * the message says something, and the store saw no write.
 */
class RejectedRequestsTest {

    private static final String OTHER_USERS = ApiFixture.BOB;

    static Stream<Arguments> rejected() {
        return Stream.of(
                // POST /gameservers
                rejected("malformed JSON", "create-malformed-json.json", null, 400, "invalid_json"),
                rejected("trailing garbage", "create.json", b("{\"config\": {}} x"), 400, "invalid_json"),
                rejected(
                        "duplicate member",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"difficulty\": \"hard\", \"player_count\": 1}}"),
                        400,
                        "invalid_json"),
                rejected("body is an array", "create.json", b("[1, 2]"), 400, "invalid_body"),
                rejected("empty body", "create.json", b(""), 400, "missing_body"),
                rejected("no config", "create.json", b("{}"), 400, "missing_config"),
                rejected("config null", "create.json", b("{\"config\": null}"), 400, "missing_config"),
                rejected("config not an object", "create.json", b("{\"config\": \"easy\"}"), 400, "invalid_type"),
                rejected(
                        "unknown top-level member",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4}, \"username\": \"bob\"}"),
                        400,
                        "unknown_field"),
                rejected("unknown config key", "create-unknown-key.json", null, 400, "unknown_field"),
                rejected(
                        "difficulty missing",
                        "create.json",
                        b("{\"config\": {\"player_count\": 4}}"),
                        400,
                        "missing_field"),
                rejected(
                        "player_count missing",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\"}}"),
                        400,
                        "missing_field"),
                rejected(
                        "difficulty not allowed",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"nightmare\", \"player_count\": 4}}"),
                        400,
                        "invalid_value"),
                rejected(
                        "difficulty a number",
                        "create.json",
                        b("{\"config\": {\"difficulty\": 3, \"player_count\": 4}}"),
                        400,
                        "invalid_type"),
                rejected(
                        "player_count a string",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": \"4\"}}"),
                        400,
                        "invalid_type"),
                rejected(
                        "player_count fractional",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": 2.5}}"),
                        400,
                        "invalid_type"),
                rejected(
                        "player_count zero",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": 0}}"),
                        400,
                        "invalid_value"),
                rejected("player_count above 20", "create-out-of-range.json", null, 400, "invalid_value"),
                rejected(
                        "player_count huge",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": 99999999999999999999}}"),
                        400,
                        "invalid_type"),
                rejected(
                        "seed empty",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4, \"seed\": \"\"}}"),
                        400,
                        "invalid_value"),
                rejected(
                        "seed too long",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4, \"seed\": \"" + "x".repeat(65)
                                + "\"}}"),
                        400,
                        "invalid_value"),
                rejected(
                        "seed bad characters",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4, \"seed\": \"a b;c\"}}"),
                        400,
                        "invalid_value"),
                rejected(
                        "seed a number",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4, \"seed\": 42}}"),
                        400,
                        "invalid_type"),
                rejected(
                        "oversize body",
                        "create.json",
                        b("{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4, \"seed\": \""
                                + "x".repeat(20_000) + "\"}}"),
                        413,
                        "body_too_large"),
                rejected(
                        "bad base64 body",
                        "create.json",
                        e -> {
                            e.setBody("%%%not-base64");
                            e.setIsBase64Encoded(true);
                        },
                        400,
                        "invalid_body"),
                rejected("no identity on create", "create-without-identity.json", null, 401, "unauthorized"),
                rejected(
                        "blank subject",
                        "create.json",
                        withClaims(Map.of("sub", " ", "username", "alice")),
                        401,
                        "unauthorized"),
                rejected(
                        "no subject, only a username",
                        "create.json",
                        withClaims(Map.of("username", "alice")),
                        401,
                        "unauthorized"),
                rejected(
                        "subject too long",
                        "create.json",
                        withClaims(Map.of("sub", "s".repeat(129))),
                        401,
                        "unauthorized"),
                rejected(
                        "subject with a control character",
                        "create.json",
                        withClaims(Map.of("sub", "7d1c2b3a\n0000")),
                        401,
                        "unauthorized"),
                rejected(
                        "no subject on list",
                        "list.json",
                        withClaims(Map.of("username", "alice")),
                        401,
                        "unauthorized"),
                // GET /gameservers, GET /gameservers/{id}
                rejected(
                        "list limit zero",
                        "list.json",
                        e -> e.setQueryStringParameters(Map.of("limit", "0")),
                        400,
                        "invalid_limit"),
                rejected(
                        "list limit not a number",
                        "list.json",
                        e -> e.setQueryStringParameters(Map.of("limit", "ten")),
                        400,
                        "invalid_limit"),
                rejected("list foreign token", "list-invalid-token.json", null, 400, "invalid_next_token"),
                rejected("get unknown id", "get-unknown.json", null, 404, "not_found"),
                rejected(
                        "get malformed id",
                        "get.json",
                        e -> e.setPathParameters(Map.of("id", "../etc")),
                        404,
                        "not_found"),
                rejected("get another user's server", "get.json", asUser(OTHER_USERS), 404, "not_found"),
                rejected(
                        "get without identity",
                        "get.json",
                        e -> e.getRequestContext().setAuthorizer(null),
                        401,
                        "unauthorized"),
                // PATCH /gameservers/{id}
                rejected("patch wrong type", "update-wrong-type.json", null, 400, "invalid_type"),
                rejected("patch empty config", "update.json", b("{\"config\": {}}"), 400, "empty_change"),
                rejected("patch unknown key", "update.json", b("{\"config\": {\"map\": \"x\"}}"), 400, "unknown_field"),
                rejected(
                        "patch value out of range",
                        "update.json",
                        b("{\"config\": {\"player_count\": 50}}"),
                        400,
                        "invalid_value"),
                rejected("patch malformed JSON", "update.json", b("{\"config\": "), 400, "invalid_json"),
                rejected(
                        "patch unknown id",
                        "update.json",
                        e -> e.setPathParameters(Map.of("id", "gs-zzzzzzzzzzzzzzzzzzzz")),
                        404,
                        "not_found"),
                rejected("patch another user's server", "update.json", asUser(OTHER_USERS), 404, "not_found"),
                rejected(
                        "patch without identity",
                        "update.json",
                        e -> e.getRequestContext().getAuthorizer().setJwt(null),
                        401,
                        "unauthorized"),
                // DELETE /gameservers/{id}
                rejected(
                        "delete unknown id",
                        "delete.json",
                        e -> e.setPathParameters(Map.of("id", "gs-zzzzzzzzzzzzzzzzzzzz")),
                        404,
                        "not_found"),
                rejected("delete another user's server", "delete.json", asUser(OTHER_USERS), 404, "not_found"),
                rejected("delete without identity", "delete-without-identity.json", null, 401, "unauthorized"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedRequestWritesNothing(
            String name, String file, Consumer<APIGatewayV2HTTPEvent> change, int status, String code) {
        // GIVEN
        ApiFixture api = new ApiFixture();
        api.seedAliceServer();
        APIGatewayV2HTTPEvent event = ApiFixture.event(file);
        if (change != null) {
            change.accept(event);
        }

        // WHEN
        ApiFixture.Response response = api.send(event);

        // THEN
        assertEquals(status, response.status(), response.body().toString());
        assertEquals(code, response.error());
        assertFalse(response.body().path("message").asText().isBlank(), "a message says what to fix");
        assertEquals(0, api.store.writes(), "nothing is written");
    }

    @org.junit.jupiter.api.Test
    void patchWhileDeletingIsAConflict() {
        // GIVEN alice's server is being deleted
        ApiFixture api = new ApiFixture();
        api.seedAliceServer();
        api.send(ApiFixture.event("delete.json"));
        int writesBefore = api.store.writes();

        // WHEN she changes its config
        ApiFixture.Response response = api.send(ApiFixture.event("update.json"));

        // THEN
        assertEquals(409, response.status());
        assertEquals("deletion_in_progress", response.error());
        assertEquals(writesBefore, api.store.writes());
    }

    @org.junit.jupiter.api.Test
    void quotaExceededWritesNothing() {
        // GIVEN alice already has as many servers as the quota allows
        ApiFixture api = new ApiFixture();
        for (int i = 0; i < ApiFixture.CONFIG.maxServersPerOwner(); i++) {
            assertEquals(201, api.send(ApiFixture.event("create.json")).status());
        }
        int writesBefore = api.store.writes();

        // WHEN she asks for one more
        ApiFixture.Response response = api.send(ApiFixture.event("create.json"));

        // THEN
        assertEquals(403, response.status());
        assertEquals("quota_exceeded", response.error());
        assertTrue(response.body().path("message").asText().contains("limit is 3"));
        assertEquals(writesBefore, api.store.writes());
    }

    private static Arguments rejected(
            String name, String file, Consumer<APIGatewayV2HTTPEvent> change, int status, String code) {
        return Arguments.of(name, file, change, status, code);
    }

    private static Consumer<APIGatewayV2HTTPEvent> b(String body) {
        return e -> e.setBody(body);
    }

    private static Consumer<APIGatewayV2HTTPEvent> asUser(String subject) {
        return withClaims(ApiFixture.claims(subject, "bob"));
    }

    private static Consumer<APIGatewayV2HTTPEvent> withClaims(Map<String, String> claims) {
        return e -> e.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
    }
}
