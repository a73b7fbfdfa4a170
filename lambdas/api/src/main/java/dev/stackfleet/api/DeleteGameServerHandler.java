package dev.stackfleet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;

/**
 * {@code DELETE /gameservers/{id}}: requests deletion ({@code DELETE_PENDING}) and answers 202 with the
 * server as it now stands; the table's stream starts the deprovisioning. Repeating it is harmless.
 *
 * <p>Trigger: API Gateway HTTP API (payload 2.0) behind a JWT authorizer. Environment: see {@link ApiConfig}.
 * Errors: 401 without a valid owner claim; 404 for an unknown or foreign id.
 */
public final class DeleteGameServerHandler extends ApiHandler {

    public DeleteGameServerHandler() {
        this(serviceFromEnvironment());
        primeBeforeSnapshot();
    }

    public DeleteGameServerHandler(GameServerService service) {
        super(service);
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(ApiRequest request) {
        return json(202, GameServerJson.of(service.delete(request.owner(), request.pathId())), Map.of());
    }
}
