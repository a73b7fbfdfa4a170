package dev.stackfleet.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP proxy in front of the emulator that answers Step Functions' RedriveExecution (which the
 * emulator does not implement) with a recorded response from {@code src/test/resources/sfn/}, records the
 * request bodies it answered, and forwards every other request unchanged.
 */
final class SfnProxy implements AutoCloseable {

    private static final String REDRIVE_TARGET = "AWSStepFunctions.RedriveExecution";
    private static final Set<String> HOP_HEADERS =
            Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "keep-alive");

    private final URI emulator;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> redriveRequests = new CopyOnWriteArrayList<>();
    private volatile int status;
    private volatile String body;

    SfnProxy(URI emulator) {
        this.emulator = emulator;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The proxy's endpoint, for {@code --endpoint-url}. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers the next RedriveExecution calls with this HTTP status and recorded body. */
    void answerRedrive(int httpStatus, String resource) {
        try (InputStream in = SfnProxy.class.getResourceAsStream("/sfn/" + resource)) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        status = httpStatus;
        redriveRequests.clear();
    }

    /** The bodies of the RedriveExecution requests answered since the last {@link #answerRedrive}. */
    List<String> redriveRequests() {
        return List.copyOf(redriveRequests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        if (REDRIVE_TARGET.equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
            redriveRequests.add(new String(request, StandardCharsets.UTF_8));
            respond(exchange, status, body.getBytes(StandardCharsets.UTF_8), "application/x-amz-json-1.0");
            return;
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(
                        emulator.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(request));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> forward.header(name, v));
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            respond(exchange, response.statusCode(), response.body(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 502, new byte[0], null);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
