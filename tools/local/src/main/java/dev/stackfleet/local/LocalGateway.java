package dev.stackfleet.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stackfleet.core.LoggingLambdaContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for API Gateway (HTTP API, payload format 2.0) on a loopback port: turns each HTTP request
 * into an {@link APIGatewayV2HTTPEvent} for the handler of its route and the handler's response back into
 * HTTP. Local mode only: the caller's identity is the {@code X-User} header, placed where the JWT
 * authorizer would put the {@code sub} claim (the owner) and the {@code username} claim (the display name); the
 * handlers refuse a missing, empty, too long or control-character identity with 401, as they do on AWS. A request
 * with more than one {@code X-User} header carries no identity (401), so two names are never joined into a third.
 */
public final class LocalGateway implements AutoCloseable {

    /** One route: method, path pattern as API Gateway writes it, and its handler. */
    public record Route(
            String method, String path, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {

        String routeKey() {
            return method + " " + path;
        }

        Pattern pattern() {
            return Pattern.compile(path.replaceAll("\\{(\\w+)}", "(?<$1>[^/]+)"));
        }
    }

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{(\\w+)}");

    private final HttpServer server;
    private final List<Route> routes;

    private LocalGateway(HttpServer server, List<Route> routes) {
        this.server = server;
        this.routes = List.copyOf(routes);
    }

    /** Starts serving the routes on {@code 127.0.0.1:port} (0 picks a free port). */
    public static LocalGateway start(int port, List<Route> routes) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            LocalGateway gateway = new LocalGateway(server, routes);
            server.createContext("/", gateway::serve);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.start();
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot listen on 127.0.0.1:" + port + " (in use? choose another with --port)", e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            for (Route route : routes) {
                Matcher match = route.pattern().matcher(path);
                if (route.method().equals(method) && match.matches()) {
                    APIGatewayV2HTTPEvent event = event(exchange, route, pathParameters(route, match));
                    APIGatewayV2HTTPResponse response = invoke(route, event);
                    LocalLog.line("api", method + " " + path + " -> " + response.getStatusCode());
                    respond(exchange, response.getStatusCode(), response.getHeaders(), response.getBody());
                    return;
                }
            }
            respond(
                    exchange,
                    404,
                    Map.of("Content-Type", "application/json"),
                    "{\"error\":\"not_found\",\"message\":\"No route for " + method + " " + path + "\"}");
        }
    }

    /** Like API Gateway, a handler that throws becomes a 500 without details. */
    private static APIGatewayV2HTTPResponse invoke(Route route, APIGatewayV2HTTPEvent event) {
        try {
            return route.handler()
                    .handleRequest(
                            event, new LoggingLambdaContext("stackfleet-api", line -> LocalLog.line("api", line)));
        } catch (RuntimeException e) {
            LocalLog.line("api", "handler failed: " + e);
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(500)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody("{\"message\":\"Internal Server Error\"}")
                    .build();
        }
    }

    private static Map<String, String> pathParameters(Route route, Matcher match) {
        Map<String, String> parameters = new HashMap<>();
        Matcher names = PATH_PARAMETER.matcher(route.path());
        while (names.find()) {
            parameters.put(names.group(1), URLDecoder.decode(match.group(names.group(1)), StandardCharsets.UTF_8));
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static APIGatewayV2HTTPEvent event(HttpExchange exchange, Route route, Map<String, String> pathParameters)
            throws IOException {
        URI uri = exchange.getRequestURI();
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        byte[] body = exchange.getRequestBody().readAllBytes();
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();

        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(exchange.getRequestMethod())
                .withPath(uri.getRawPath())
                .withProtocol("HTTP/1.1")
                .withSourceIp(sourceIp)
                .withUserAgent(headers.get("user-agent"))
                .build();
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder context =
                APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("123456789012")
                        .withApiId("local")
                        .withDomainName("127.0.0.1")
                        .withDomainPrefix("local")
                        .withHttp(http)
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey(route.routeKey())
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                        .withTimeEpoch(System.currentTimeMillis());
        // One identity per request, as one token has one subject: an X-User header sent twice would otherwise be
        // joined into a third owner ("alice,bob") that neither sender is.
        List<String> users = exchange.getRequestHeaders().get("X-User");
        String user = users != null && users.size() == 1 ? users.getFirst() : null;
        if (user != null) {
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                            .builder()
                            .withClaims(Map.of("sub", user, "username", user))
                            .withScopes(List.of())
                            .build())
                    .build());
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(uri.getRawPath())
                .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
                .withHeaders(headers)
                .withQueryStringParameters(query(uri.getRawQuery()))
                .withPathParameters(pathParameters)
                .withRequestContext(context.build())
                .withBody(body.length == 0 ? null : new String(body, StandardCharsets.UTF_8))
                .withIsBase64Encoded(false)
                .build();
    }

    private static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new HashMap<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            // API Gateway joins repeated parameters with commas.
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (headers != null) {
            headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
