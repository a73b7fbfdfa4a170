package dev.stackfleet.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.stackfleet.core.LoggingLambdaContext;
import java.util.Map;

/** What the API handlers' SnapStart priming sends through them. */
final class Priming {

    /** The priming's own lines stay out of the function's log. */
    static final Context CONTEXT = new LoggingLambdaContext("snapstart-priming", line -> {});

    /** A valid create body: parsed and validated, never written. */
    static final String BODY = "{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4}}";

    private Priming() {}

    /** A body-less request for a well-formed id of an owner that has no servers. */
    static APIGatewayV2HTTPEvent unknownServer() {
        return request(null);
    }

    /** The same with a valid create body, for parsing only. */
    static APIGatewayV2HTTPEvent withBody() {
        return request(BODY);
    }

    private static APIGatewayV2HTTPEvent request(String body) {
        String id = "gs-" + "a".repeat(20);
        return APIGatewayV2HTTPEvent.builder()
                .withBody(body)
                .withRawPath("/gameservers/" + id)
                .withPathParameters(Map.of("id", id))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("snapstart-priming")
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                                        .builder()
                                        .withClaims(Map.of("sub", "snapstart-priming", "username", "snapstart-priming"))
                                        .build())
                                .build())
                        .build())
                .build();
    }
}
