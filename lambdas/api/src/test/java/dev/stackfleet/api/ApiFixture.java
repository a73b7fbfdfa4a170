package dev.stackfleet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.core.ConfigValidator;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.InMemoryGameServerStore;
import dev.stackfleet.core.LoggingLambdaContext;
import dev.stackfleet.core.OwnerClaim;
import dev.stackfleet.core.Placement;
import dev.stackfleet.core.TemplateParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** The API handlers wired to an in-memory store, a fixed clock and predictable ids. */
final class ApiFixture {

    static final String SEEDED_ID = "gs-abcdefghijklmnopqrst";
    /** alice's immutable subject: the {@code sub} claim of the events in test-events/api. */
    static final String ALICE = "7d1c2b3a-0000-4000-8000-000000000001";
    /** bob's subject. */
    static final String BOB = "0b0b0b0b-0000-4000-8000-000000000002";

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    static final ApiConfig CONFIG = new ApiConfig(
            "gameservers",
            "gameserver-quotas",
            "workload-accounts",
            "stackfleet-releases",
            3,
            OwnerClaim.SUBJECT,
            "stackfleet-workload-access");
    /** The pool's one account, where every create lands unless a test changes the pool. */
    static final String ACCOUNT = "222222222222";

    static final Placement PLACEMENT = Placement.of(ACCOUNT, "eu-west-1", "stackfleet-workload-access");
    /** The current template release: every create gets it. */
    static final String RELEASE = "3f9a2c1d4b5e";

    final InMemoryGameServerStore store = new InMemoryGameServerStore();
    final List<String> logLines = new ArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    final Map<String, ApiHandler> routes;

    ApiFixture() {
        this(store -> store);
    }

    /** The handlers on the in-memory store as {@code wrap} wraps it, e.g. with a request that wins a race. */
    ApiFixture(UnaryOperator<GameServerStore> wrap) {
        store.openAccount(ACCOUNT, 1000);
        store.makeCurrent(RELEASE);
        GameServerService service = new GameServerService(
                wrap.apply(store),
                new ConfigValidator(TemplateParameters.gameServer()),
                CONFIG,
                Clock.fixed(NOW, ZoneOffset.UTC),
                this::letters);
        routes = Map.of(
                "POST /gameservers", new CreateGameServerHandler(service),
                "GET /gameservers", new ListGameServersHandler(service),
                "GET /gameservers/{id}", new GetGameServerHandler(service),
                "PATCH /gameservers/{id}", new UpdateGameServerHandler(service),
                "DELETE /gameservers/{id}", new DeleteGameServerHandler(service));
    }

    /** Ids in the service's own format: gs-aaaaaaaaaaaaaaaaaaab, gs-aaaaaaaaaaaaaaaaaaac, ... */
    private String letters() {
        StringBuilder id = new StringBuilder(String.format("%020d", nextId.incrementAndGet()));
        for (int i = 0; i < id.length(); i++) {
            id.setCharAt(i, (char) ('a' + id.charAt(i) - '0'));
        }
        return "gs-" + id;
    }

    /** A server of alice's ({@link #ALICE}) stored before the test, id {@link #SEEDED_ID}. */
    GameServer seedAliceServer() {
        GameServer server = GameServer.requested(
                ALICE,
                "alice",
                SEEDED_ID,
                new GameServerConfig("easy", 4, "s33d"),
                PLACEMENT,
                RELEASE,
                NOW.minusSeconds(60));
        store.seed(server);
        return server;
    }

    /** Sends an event to the handler of its route key, as API Gateway would. */
    Response send(APIGatewayV2HTTPEvent event) {
        ApiHandler handler = routes.get(event.getRouteKey());
        return new Response(handler.handleRequest(event, new LoggingLambdaContext("stackfleet-api", logLines::add)));
    }

    static APIGatewayV2HTTPEvent event(String file) {
        return EventLoader.loadApiGatewayHttpEvent("api/" + file);
    }

    /** Claims of a Cognito access token for this subject and username. */
    static Map<String, String> claims(String sub, String username) {
        return Map.of(
                "sub",
                sub,
                "username",
                username,
                "iss",
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI",
                "token_use",
                "access");
    }

    static APIGatewayV2HTTPEvent event(String file, String body) {
        APIGatewayV2HTTPEvent event = event(file);
        event.setBody(body);
        return event;
    }

    /** A response with its body parsed. */
    record Response(int status, Map<String, String> headers, JsonNode body) {
        Response(APIGatewayV2HTTPResponse raw) {
            this(raw.getStatusCode(), raw.getHeaders(), parse(raw.getBody()));
        }

        String error() {
            return body.path("error").asText(null);
        }

        private static JsonNode parse(String body) {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
