package dev.stackfleet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;

/**
 * {@code PATCH /gameservers/{id}} with a partial {@code {"config": {...}}}: merges it, raises the
 * generation and sets {@code UPDATE_PENDING}; the table's stream starts the update.
 *
 * <p>Trigger: API Gateway HTTP API (payload 2.0) behind a JWT authorizer. Environment: see {@link ApiConfig}.
 * Errors: 400 for a malformed or invalid body, 401 without a valid owner claim, 404 for an unknown or foreign
 * id, 409 while the server is being deleted or when concurrent changes keep winning; nothing is written.
 */
public final class UpdateGameServerHandler extends ApiHandler {

    public UpdateGameServerHandler() {
        this(serviceFromEnvironment());
        primeBeforeSnapshot();
    }

    public UpdateGameServerHandler(GameServerService service) {
        super(service);
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(ApiRequest request) {
        String id = request.pathId();
        return json(200, GameServerJson.of(service.update(request.owner(), id, request.config())), Map.of());
    }
}
