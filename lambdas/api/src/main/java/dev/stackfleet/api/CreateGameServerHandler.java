package dev.stackfleet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.stackfleet.core.GameServer;
import java.util.Map;

/**
 * {@code POST /gameservers} with {@code {"config": {...}}}: validates the config against the game-server
 * template and writes a {@code CREATE_PENDING} item; the table's stream starts the provisioning.
 *
 * <p>Trigger: API Gateway HTTP API (payload 2.0) behind a JWT authorizer. Environment: see {@link ApiConfig}.
 * Errors: 400 for a malformed or invalid body, 401 without a valid owner claim, 403 {@code quota_exceeded},
 * 413 for an oversize body; nothing is written on any of them.
 */
public final class CreateGameServerHandler extends ApiHandler {

    public CreateGameServerHandler() {
        this(serviceFromEnvironment());
        primeBeforeSnapshot();
    }

    public CreateGameServerHandler(GameServerService service) {
        super(service);
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(ApiRequest request) {
        GameServer server = service.create(request.caller(), request.config());
        return json(201, GameServerJson.of(server), Map.of("Location", "/gameservers/" + server.gameServerId()));
    }
}
