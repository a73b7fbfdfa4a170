package dev.stackfleet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.InvalidRequestException;
import java.util.Map;

/**
 * {@code GET /gameservers[?limit=N&next_token=T]}: the caller's servers only, a page at a time:
 * {@code {"items": [...], "next_token": ...}} ({@code next_token} is null on the last page).
 *
 * <p>Trigger: API Gateway HTTP API (payload 2.0) behind a JWT authorizer. Environment: see {@link ApiConfig}.
 * Errors: 400 for a limit outside 1..100 or a token this API did not issue; 401 without a valid owner claim.
 */
public final class ListGameServersHandler extends ApiHandler {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    public ListGameServersHandler() {
        this(serviceFromEnvironment());
        primeBeforeSnapshot();
    }

    public ListGameServersHandler(GameServerService service) {
        super(service);
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(ApiRequest request) {
        GameServerStore.Page page =
                service.list(request.owner(), limit(request.query("limit")), request.query("next_token"));
        ObjectNode body = ApiJson.NODES.objectNode();
        ArrayNode items = body.putArray("items");
        page.items().forEach(server -> items.add(GameServerJson.of(server)));
        body.put("next_token", page.nextToken());
        return json(200, body, Map.of());
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException("invalid_limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
