package dev.stackfleet.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.local.ApiClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** One owner's full listing through the API, every page of the largest size the API serves. */
final class Listing {

    static final int PAGE = 100;

    /** What one full listing returned. */
    record Pages(int pages, int items) {}

    private final ApiClient client;

    Listing(URI api, String owner) {
        this.client = new ApiClient(api, owner);
    }

    Pages all() {
        int pages = 0;
        int items = 0;
        String token = null;
        do {
            String path = "/gameservers?limit=" + PAGE
                    + (token == null ? "" : "&next_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            ApiClient.Response response = client.send("GET", path, null);
            if (response.status() != 200) {
                throw new IllegalStateException("The listing answered " + response.status() + ": " + response.body());
            }
            pages++;
            items += response.body().path("items").size();
            JsonNode next = response.body().path("next_token");
            token = next.isNull() || next.isMissingNode() ? null : next.asText();
        } while (token != null);
        return new Pages(pages, items);
    }
}
