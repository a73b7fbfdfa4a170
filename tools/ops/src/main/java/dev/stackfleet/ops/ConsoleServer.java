package dev.stackfleet.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The console's HTTP server (the JDK's own, no dependencies): {@code GET /} the fleet, {@code GET /server} one
 * server, {@code GET /confirm} an action's confirmation, {@code POST /act} the confirmed action.
 *
 * <p>It acts with the operator's AWS credentials and has no login, so it is bound to loopback only (see
 * {@link ConsoleCommand}), answers only requests addressed to that loopback host and port (a page of another site
 * that resolves its name to 127.0.0.1 is refused), and accepts a POST only from its own pages: the Origin must be
 * the console's, and the form must carry the token this process generated. Pages may not be framed.
 */
final class ConsoleServer implements AutoCloseable {

    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

    private final HttpServer http;
    private final ExecutorService threads;
    private final FleetPage fleet;
    private final ServerPage server;
    private final ConsoleActions actions;
    private final String token;
    private final PrintWriter err;

    private ConsoleServer(HttpServer http, OpsMain ops, ConsoleSettings settings, String token) {
        this.http = http;
        this.token = token;
        this.err = ops.err();
        this.actions = new ConsoleActions(ops, settings.poll(), token);
        this.fleet = new FleetPage(ops);
        this.server = new ServerPage(ops, actions, settings.stackReaderRole());
        this.threads = Executors.newFixedThreadPool(4);
        http.setExecutor(threads);
        http.createContext("/", this::handle);
    }

    /**
     * How the console acts.
     *
     * @param poll the poll settings a replay's input carries
     * @param stackReaderRole the role assumed in workload accounts to read stacks
     */
    record ConsoleSettings(dev.stackfleet.core.ExecutionInput.Poll poll, String stackReaderRole) {}

    /** Starts serving at a loopback address (the caller checked it is one); port 0 picks a free port. */
    static ConsoleServer start(InetSocketAddress address, OpsMain ops, ConsoleSettings settings) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        ConsoleServer console = new ConsoleServer(
                HttpServer.create(address, 16), ops, settings, HexFormat.of().formatHex(random));
        console.http.start();
        return console;
    }

    /** The console's address, e.g. {@code http://127.0.0.1:8088/}. */
    URI url() {
        InetSocketAddress bound = http.getAddress();
        String host = bound.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + "/");
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (!ownHost(host)) {
                send(exchange, 421, page("wrong host", "This console answers only at " + url() + ", not " + host));
                return;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            try {
                if ("POST".equals(method) && "/act".equals(path)) {
                    post(exchange, host);
                    return;
                }
                if (!"GET".equals(method)) {
                    send(
                            exchange,
                            405,
                            page(
                                    "not allowed",
                                    method + " " + path + " is not allowed: only the"
                                            + " confirmation pages post, to /act"));
                    return;
                }
                Map<String, String> params = decode(exchange.getRequestURI().getRawQuery());
                switch (path) {
                    case "/" -> {
                        String q = params.get("q");
                        if (q != null && !q.isBlank()) {
                            redirect(exchange, search(q.strip()));
                        } else {
                            send(exchange, 200, fleet.render(params));
                        }
                    }
                    case "/server" -> send(exchange, 200, server.render(params));
                    case "/confirm" -> send(exchange, 200, actions.confirm(params));
                    default -> send(exchange, 404, page("not found", "No page " + path + ". Start at /."));
                }
            } catch (IllegalArgumentException e) {
                send(exchange, 400, page("bad request", e.getMessage()));
            } catch (OpsException e) {
                err.println("error: " + e.getMessage());
                send(exchange, 502, page("AWS call failed", e.getMessage()));
            } catch (RuntimeException e) {
                err.println("error: " + e);
                send(exchange, 500, page("console error", e.toString()));
            }
        }
    }

    private void post(HttpExchange exchange, String host) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        Map<String, String> form =
                decode(new String(exchange.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8));
        if (origin == null || !origin.equals("http://" + host)) {
            send(exchange, 403, page("refused", "Only the console's own pages may act (Origin " + origin + ")."));
            return;
        }
        String given = form.getOrDefault("token", "");
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            send(
                    exchange,
                    403,
                    page("refused", "The form's token is not this console's: reload the page and confirm" + " again."));
            return;
        }
        ConsoleActions.Outcome outcome = actions.act(form);
        if (outcome.location() != null) {
            redirect(exchange, outcome.location());
        } else {
            send(exchange, outcome.status(), outcome.html());
        }
    }

    /** A server id goes to its page; anything else is taken for an owner. */
    private static String search(String q) {
        return q.startsWith("gs-") ? Html.href("/server", Map.of("id", q)) : Html.href("/", Map.of("owner", q));
    }

    private boolean ownHost(String host) {
        if (host == null) {
            return false;
        }
        int port = http.getAddress().getPort();
        return LOOPBACK_NAMES.stream().anyMatch(name -> host.equals(name + ":" + port));
    }

    private static String page(String title, String message) {
        return Html.page(
                title,
                "<h1>" + Html.esc(title) + "</h1><p class=\"box failure\" id=\"error\">" + Html.esc(message) + "</p>",
                null);
    }

    private static Map<String, String> decode(String query) {
        Map<String, String> params = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
    }

    private static void send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "text/html; charset=utf-8");
        headers.set("Cache-Control", "no-store");
        headers.set("X-Frame-Options", "DENY");
        // Not no-referrer: under it a form POST carries "Origin: null", and the Origin check needs the real one.
        headers.set("Referrer-Policy", "same-origin");
        headers.set(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self';"
                        + " img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
