package dev.stackfleet.bench.coldstart;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.stackfleet.core.LoggingLambdaContext;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crac.Resource;

/**
 * The child JVM of one cold-start run, on a Lambda jar's classpath: constructs the handler as the runtime does
 * (no-arg constructor, environment from the parent), invokes it once with the run's event, and prints
 * {@code RESPONSE <result>} the moment it returns, then {@code CLASSES <n>}: the classes the JVM loaded so far.
 *
 * <p>With {@code --primed}, it first runs the handler's SnapStart priming ({@code beforeCheckpoint}) and prints
 * {@code NEW_CLASSES <n>}: the classes the real request loaded that the priming had not. It touches only the JDK
 * and the handler's own jar, so what it loads is what the Lambda would load, less the runtime's own classes.
 *
 * <p>Arguments: {@code <handler simple name> <owner> <game server id> <player count> [--primed]}.
 */
public final class FirstInvocation {

    /** The last argument that has the handler primed first. */
    static final String PRIMED = "--primed";

    private FirstInvocation() {}

    public static void main(String[] args) throws Exception {
        String handlerName = args[0];
        boolean primed = args.length > 4 && PRIMED.equals(args[4]);
        RequestHandler<Object, Object> handler = handler(handlerName);
        Object event = event(handlerName, args[1], args[2], args[3]);
        LoggingLambdaContext context = new LoggingLambdaContext(handlerName, line -> {});
        long before = 0;
        ClassLoadingMXBean counter = null;
        if (primed) {
            // the counter's own classes load before the priming, so the count holds the request's alone
            counter = ManagementFactory.getClassLoadingMXBean();
            ((Resource) handler).beforeCheckpoint(null);
            before = counter.getTotalLoadedClassCount();
        }
        Object result = handler.handleRequest(event, context);
        if (primed) {
            System.out.println("NEW_CLASSES " + (counter.getTotalLoadedClassCount() - before));
        }
        System.out.println("RESPONSE " + String.valueOf(result).replace('\n', ' '));
        System.out.flush();
        System.out.println(
                "CLASSES " + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        System.out.flush();
        System.exit(0);
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<Object, Object> handler(String name) throws ReflectiveOperationException {
        String packageName = name.equals("StreamHandler")
                ? "dev.stackfleet.stream."
                : name.equals("ReconcileHandler") ? "dev.stackfleet.reconciler." : "dev.stackfleet.api.";
        return Class.forName(packageName + name)
                .asSubclass(RequestHandler.class)
                .getConstructor()
                .newInstance();
    }

    /** The event API Gateway, the stream or the schedule would send for this run. */
    private static Object event(String handler, String owner, String id, String playerCount) {
        return switch (handler) {
            case "GetGameServerHandler" -> api("GET", "/gameservers/" + id, owner, id, null);
            case "ListGameServersHandler" -> api("GET", "/gameservers", owner, null, null);
            case "CreateGameServerHandler" ->
                api(
                        "POST",
                        "/gameservers",
                        owner,
                        null,
                        "{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4}}");
            case "UpdateGameServerHandler" ->
                api("PATCH", "/gameservers/" + id, owner, id, "{\"config\": {\"player_count\": " + playerCount + "}}");
            case "DeleteGameServerHandler" -> api("DELETE", "/gameservers/" + id, owner, id, null);
            case "StreamHandler" -> insert(owner, id);
            case "ReconcileHandler" -> new HashMap<String, Object>(Map.of("source", "aws.scheduler"));
            default -> throw new IllegalArgumentException("No event for handler " + handler);
        };
    }

    private static APIGatewayV2HTTPEvent api(String method, String path, String owner, String id, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(method + " " + (id == null ? path : "/gameservers/{id}"))
                .withRawPath(path)
                .withPathParameters(id == null ? null : Map.of("id", id))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("cold-start")
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                                        .builder()
                                        .withClaims(Map.of("sub", owner, "username", owner))
                                        .build())
                                .build())
                        .build())
                .build();
    }

    /** A stream record of a freshly created server, as {@code test-events/stream/insert.json}. */
    private static DynamodbEvent insert(String owner, String id) {
        Map<String, AttributeValue> image = new HashMap<>();
        image.put("owner", s(owner));
        image.put("gameserver_id", s(id));
        image.put(
                "config",
                new AttributeValue()
                        .withM(Map.of(
                                "difficulty",
                                s("easy"),
                                "player_count",
                                new AttributeValue().withN("4"),
                                "seed",
                                s("s33d"))));
        image.put("generation", new AttributeValue().withN("1"));
        image.put(
                "placement",
                new AttributeValue()
                        .withM(Map.of(
                                "account_id", s("123456789012"),
                                "region", s("us-east-1"),
                                "role_arn", s("arn:aws:iam::123456789012:role/stackfleet-workload-access"))));
        image.put("stack_name", s("stackfleet-" + id));
        image.put("status", s("CREATE_PENDING"));
        image.put("release", s("3f9a2c1d4b5e"));
        image.put("created_at", s("2026-11-27T18:00:00Z"));
        image.put("updated_at", s("2026-11-27T18:00:00Z"));
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventID("cold-start-" + id);
        record.setEventName("INSERT");
        record.setEventSource("aws:dynamodb");
        record.setAwsRegion("us-east-1");
        record.setDynamodb(new StreamRecord()
                .withKeys(Map.of("owner", s(owner), "gameserver_id", s(id)))
                .withNewImage(image)
                .withSequenceNumber("100000000000000000001")
                .withStreamViewType(
                        com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType
                                .NEW_AND_OLD_IMAGES));
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(record));
        return event;
    }

    private static AttributeValue s(String value) {
        return new AttributeValue().withS(value);
    }
}
