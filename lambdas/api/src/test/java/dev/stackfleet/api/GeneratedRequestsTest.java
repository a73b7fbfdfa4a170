package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.core.GeneratedInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated bad input through the real handlers, as API Gateway delivers it (the events of {@code test-events/api}
 * with a generated body, path, query string or identity), against the in-memory store: never a 5xx; a rejection is
 * a documented 4xx whose body is exactly {@code {"error", "message"}} with a known code, and writes nothing.
 *
 * <p>Each case is drawn from a seeded random source: {@code -Dstackfleet.generated.seed=S} repeats a run (a
 * failure names its seed and case), {@code -Dstackfleet.generated.cases=N} draws more (default 200 per kind).
 */
class GeneratedRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("stackfleet.generated.seed", 20261130L);
    private static final int CASES = Integer.getInteger("stackfleet.generated.cases", 200);
    private static final Set<String> CODES = Set.of(
            "body_too_large",
            "conflict",
            "deletion_in_progress",
            "empty_change",
            "invalid_body",
            "invalid_json",
            "invalid_limit",
            "invalid_next_token",
            "invalid_type",
            "invalid_value",
            "missing_body",
            "missing_config",
            "missing_field",
            "missing_id",
            "not_found",
            "quota_exceeded",
            "unauthorized",
            "unknown_field");

    @TestFactory
    Stream<DynamicTest> generatedCreateBodiesAreAcceptedOrRefusedWithoutWriting() {
        return cases("create body", (random, api) -> {
            String body = GeneratedInput.body(random);
            return refusedIfNotConfigOnly(
                    new Sent(api.send(ApiFixture.event("create.json", body)), "body " + body), body);
        });
    }

    @TestFactory
    Stream<DynamicTest> generatedChangeBodiesAreAcceptedOrRefusedWithoutWriting() {
        return cases("change body", (random, api) -> {
            api.seedAliceServer();
            String body = GeneratedInput.body(random);
            return refusedIfNotConfigOnly(
                    new Sent(api.send(ApiFixture.event("update.json", body)), "body " + body), body);
        });
    }

    @TestFactory
    Stream<DynamicTest> generatedIdsAreNotFoundOrRefusedOnEveryRoute() {
        String[] files = {"get.json", "update.json", "delete.json"};
        return cases("id", (random, api) -> {
            api.seedAliceServer();
            String id = random.nextInt(4) == 0
                    ? "gs-" + GeneratedInput.text(random, 20)
                    : GeneratedInput.text(random, random.nextInt(40));
            APIGatewayV2HTTPEvent event = ApiFixture.event(files[random.nextInt(files.length)]);
            Map<String, String> path = new HashMap<>();
            path.put("id", id);
            event.setPathParameters(path);
            return new Sent(api.send(event), "id " + id + " on " + event.getRouteKey());
        });
    }

    @TestFactory
    Stream<DynamicTest> generatedQueryStringsOfAListAreAnsweredOrRefused() {
        return cases("list query", (random, api) -> {
            APIGatewayV2HTTPEvent event = ApiFixture.event("list.json");
            Map<String, String> query = new HashMap<>();
            for (String name : List.of("limit", "next_token", "owner", "sub")) {
                if (random.nextBoolean()) {
                    query.put(
                            name,
                            random.nextBoolean()
                                    ? Integer.toString(random.nextInt(2000) - 500)
                                    : GeneratedInput.text(random, random.nextInt(60)));
                }
            }
            event.setQueryStringParameters(query);
            return new Sent(api.send(event), "query " + query);
        });
    }

    @TestFactory
    Stream<DynamicTest> generatedIdentitiesAreRefusedOrKeepToTheirOwnServers() {
        String[] files = {"create.json", "list.json", "get.json", "update.json", "delete.json"};
        return cases("identity", (random, api) -> {
            api.seedAliceServer();
            APIGatewayV2HTTPEvent event = ApiFixture.event(files[random.nextInt(files.length)]);
            Map<String, String> claims = new HashMap<>(ApiFixture.claims(ApiFixture.ALICE, "alice"));
            switch (random.nextInt(4)) {
                case 0 -> claims.remove("sub");
                case 1 -> claims.put("sub", GeneratedInput.text(random, random.nextInt(300)));
                case 2 -> claims.put("username", GeneratedInput.text(random, random.nextInt(300)));
                default -> claims.put("sub", " " + ApiFixture.BOB + " ");
            }
            event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
            Sent sent = new Sent(api.send(event), "claims " + claims + " on " + event.getRouteKey());
            if (sent.response().status() / 100 == 2
                    && !event.getRouteKey().startsWith("POST")
                    && !event.getRouteKey().equals("GET /gameservers")) {
                assertEquals(
                        ApiFixture.ALICE, claims.get("sub"), "another identity reached alice's server: " + sent.what());
            }
            return sent;
        });
    }

    /** A body with any member besides {@code config} (an identity field, for one) is never accepted. */
    private static Sent refusedIfNotConfigOnly(Sent sent, String body) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException notJson) {
            return sent;
        }
        boolean onlyConfig = parsed != null && parsed.isObject() && parsed.size() == 1 && parsed.has("config");
        if (!onlyConfig) {
            assertTrue(
                    sent.response().status() >= 400, "accepted a body that is not {\"config\": ...}: " + sent.what());
        }
        return sent;
    }

    /** What was sent and how the handler answered. */
    private record Sent(ApiFixture.Response response, String what) {}

    @FunctionalInterface
    private interface Case {
        Sent send(Random random, ApiFixture api);
    }

    /** {@link #CASES} cases of one kind, each on a fresh API and store, each checked the same way. */
    private static Stream<DynamicTest> cases(String kind, Case sender) {
        return IntStream.range(0, CASES)
                .mapToObj(n -> DynamicTest.dynamicTest(kind + " #" + n, () -> {
                    Random random = new Random(SEED * 31 + kind.hashCode() * 1_000_003L + n);
                    ApiFixture api = new ApiFixture();
                    int writesBefore = -1;
                    Sent sent;
                    try {
                        writesBefore = api.store.writes();
                        sent = sender.send(random, api);
                    } catch (RuntimeException e) {
                        throw new AssertionError("seed " + SEED + ", " + kind + " #" + n + " threw " + e, e);
                    }
                    check(sent, api, writesBefore, "seed " + SEED + ", " + kind + " #" + n + ": ");
                }));
    }

    private static void check(Sent sent, ApiFixture api, int writesBefore, String where) {
        int status = sent.response().status();
        JsonNode body = sent.response().body();
        if (status >= 500) {
            fail(where + status + " " + body + " for " + sent.what());
        }
        if (status >= 400) {
            List<String> fields = new ArrayList<>();
            body.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("error", "message"), fields.stream().sorted().toList(), where + sent.what());
            assertTrue(CODES.contains(body.path("error").asText()), where + "undocumented code " + body);
            assertTrue(!body.path("message").asText().isBlank(), where + "no message " + body);
            assertEquals(writesBefore, api.store.writes(), where + "a refused request wrote: " + sent.what());
        }
    }
}
