package dev.stackfleet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;

/**
 * {@code GET /gameservers/{id}}: one of the caller's servers.
 *
 * <p>Trigger: API Gateway HTTP API (payload 2.0) behind a JWT authorizer. Environment: see {@link ApiConfig}.
 * Errors: 401 without a valid owner claim; 404 for an unknown id and for another user's server alike.
 */
public final class GetGameServerHandler extends ApiHandler {

    public GetGameServerHandler() {
        this(serviceFromEnvironment());
        primeBeforeSnapshot();
    }

    public GetGameServerHandler(GameServerService service) {
        super(service);
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(ApiRequest request) {
        return json(200, GameServerJson.of(service.get(request.owner(), request.pathId())), Map.of());
    }
}
