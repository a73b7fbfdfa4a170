package dev.stackfleet.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** A player's view of the API: plain HTTP with the local-mode identity header. */
public final class ApiClient {

    public record Response(int status, JsonNode body) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String user;

    /** A client for one user; a null user sends no identity. */
    public ApiClient(URI base, String user) {
        this.base = base;
        this.user = user;
    }

    public Response create(String configJson) {
        return send("POST", "/gameservers", "{\"config\": " + configJson + "}");
    }

    public Response get(String id) {
        return send("GET", "/gameservers/" + id, null);
    }

    public Response update(String id, String configJson) {
        return send("PATCH", "/gameservers/" + id, "{\"config\": " + configJson + "}");
    }

    public Response delete(String id) {
        return send("DELETE", "/gameservers/" + id, null);
    }

    public Response send(String method, String path, String body) {
        return send(method, path, body, List.of());
    }

    /** Sends with header lines after the identity header; a name may repeat (a second {@code X-User}). */
    public Response send(String method, String path, String body, List<Map.Entry<String, String>> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (user != null) {
            request.header("X-User", user);
        }
        headers.forEach(header -> request.header(header.getKey(), header.getValue()));
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
