package dev.stackfleet.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.core.InvalidRequestException;
import dev.stackfleet.core.LambdaClients;
import dev.stackfleet.core.Transactions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What every API route shares: the caller's identity from the JWT authorizer's claims ({@link Caller}: the
 * immutable subject named by {@code OWNER_CLAIM}, never a username and never the body), body parsing with size
 * and shape checks, and the mapping of outcomes to HTTP responses. Client mistakes become 4xx with {@code {"error", "message"}}; a dependency that keeps
 * failing becomes 503 (retryable) and anything else 500, logged with the request id, never shown to
 * the caller.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    /** Bodies larger than this are refused before parsing; a valid request is far smaller. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    protected final GameServerService service;

    /** For tests and the local runtime. */
    protected ApiHandler(GameServerService service) {
        this.service = service;
    }

    /** The service the runtime's no-arg constructors use: one DynamoDB client per execution environment. */
    static GameServerService serviceFromEnvironment() {
        return GameServerService.standard(
                ApiConfig.from(System::getenv),
                LambdaClients.fromEnvironment(System::getenv).dynamoDb());
    }

    /**
     * Has SnapStart prime this handler before its snapshot; only the runtime's constructors call it (tests and local
     * mode take no snapshot).
     */
    protected final void primeBeforeSnapshot() {
        Core.getGlobalContext().register(this);
    }

    /**
     * Runs this route on a server that does not exist (a read, answered 404 or an empty page; the create route
     * refuses the body-less request), then a body's parsing, every table call and the JSON of a found server through
     * {@link GameServerService#prime}, which writes nothing.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        handleRequest(Priming.unknownServer(), Priming.CONTEXT);
        JsonNode config = new ApiRequest(null, Priming.withBody()).config();
        var unused = ApiJson.write(GameServerJson.of(service.prime(config)));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to renew: the clients re-open connections as they need them
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            return handle(new ApiRequest(Caller.from(claims(event), service.ownerClaim()), event));
        } catch (ApiException e) {
            return error(e.status(), e.code(), e.getMessage());
        } catch (InvalidRequestException e) {
            return error(400, e.code(), e.getMessage());
        } catch (SdkClientException | SdkServiceException e) {
            if (isRetryable(e)) {
                context.getLogger().log("dependency unavailable: " + e);
                return error(503, "service_unavailable", "The service is busy; retry in a few seconds");
            }
            context.getLogger().log("request failed: " + e);
            return error(
                    500,
                    "internal_error",
                    "Something went wrong on our side (request " + context.getAwsRequestId() + ")");
        }
    }

    /** Handles one route for an identified caller. */
    protected abstract APIGatewayV2HTTPResponse handle(ApiRequest request);

    /** The parts of an API Gateway v2 event a route reads, with the caller already identified. */
    protected record ApiRequest(Caller caller, APIGatewayV2HTTPEvent event) {

        /** The owner the caller's servers are stored under. */
        String owner() {
            return caller.owner();
        }

        /** The {@code {id}} path parameter. */
        String pathId() {
            Map<String, String> params = event.getPathParameters();
            String id = params == null ? null : params.get("id");
            if (id == null || id.isBlank()) {
                throw new ApiException(400, "missing_id", "The path must name a game server: /gameservers/{id}");
            }
            return id;
        }

        /** A query string parameter, or null. */
        String query(String name) {
            Map<String, String> params = event.getQueryStringParameters();
            return params == null ? null : params.get(name);
        }

        /** The {@code config} member of a JSON body whose only member is {@code config}. */
        JsonNode config() {
            JsonNode body = body();
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!"config".equals(name)) {
                    throw new InvalidRequestException(
                            "unknown_field", name + " is not accepted; the body has one member, \"config\"");
                }
            }
            return body.get("config");
        }

        private JsonNode body() {
            String raw = event.getBody();
            if (raw == null || raw.isBlank()) {
                throw new InvalidRequestException(
                        "missing_body",
                        "A JSON body is required, e.g. {\"config\": {\"difficulty\": \"easy\", \"player_count\": 4}}");
            }
            byte[] bytes = event.getIsBase64Encoded() ? decodeBase64(raw) : raw.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ApiException(
                        413,
                        "body_too_large",
                        "The body has " + bytes.length + " bytes; at most " + MAX_BODY_BYTES + " are accepted");
            }
            JsonNode body;
            try {
                body = ApiJson.read(bytes);
            } catch (JsonProcessingException e) {
                throw new InvalidRequestException(
                        "invalid_json", "The body is not valid JSON: " + e.getOriginalMessage());
            } catch (java.io.IOException e) {
                throw new InvalidRequestException("invalid_json", "The body could not be read as JSON");
            }
            if (body == null || !body.isObject()) {
                throw new InvalidRequestException("invalid_body", "The body must be a JSON object");
            }
            return body;
        }

        private static byte[] decodeBase64(String raw) {
            try {
                return Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("invalid_body", "The body is marked base64 but is not");
            }
        }
    }

    /** A JSON response. */
    protected static APIGatewayV2HTTPResponse json(int status, JsonNode body, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", "application/json");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(all)
                .withBody(ApiJson.write(body))
                .build();
    }

    private static APIGatewayV2HTTPResponse error(int status, String code, String message) {
        return json(status, ApiJson.NODES.objectNode().put("error", code).put("message", message), Map.of());
    }

    private static Map<String, String> claims(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        var authorizer = context == null ? null : context.getAuthorizer();
        var jwt = authorizer == null ? null : authorizer.getJwt();
        return jwt == null ? null : jwt.getClaims();
    }

    private static boolean isRetryable(SdkException e) {
        return e instanceof SdkClientException
                || (e instanceof SdkServiceException s && (s.isThrottlingException() || s.statusCode() >= 500))
                || (e instanceof TransactionCanceledException t && Transactions.isTransient(t));
    }
}
