package dev.stackfleet.bench;

import dev.stackfleet.local.ApiClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/** Creates servers through the local API, as players would: real HTTP, the local identity header. */
public final class Creates {

    /**
     * One accepted create.
     *
     * @param owner who asked
     * @param id the server's id from the 201's body
     * @param sentMillis when the request was sent (epoch ms)
     * @param acceptedMillis when the 201 arrived (epoch ms)
     */
    public record Created(String owner, String id, long sentMillis, long acceptedMillis) {}

    private final URI api;

    public Creates(URI api) {
        this.api = api;
    }

    /** The config of the n-th server of a run: valid, and different enough to tell stacks apart. */
    public static String config(int n) {
        return "{\"difficulty\": \"easy\", \"player_count\": " + (1 + n % 8) + ", \"seed\": \"bench-" + n + "\"}";
    }

    /** One create; fails unless the API answers 201. */
    public Created create(String owner, int n) {
        ApiClient client = new ApiClient(api, owner);
        long sent = System.currentTimeMillis();
        ApiClient.Response response = client.create(config(n));
        long accepted = System.currentTimeMillis();
        if (response.status() != 201) {
            throw new IllegalStateException(
                    "The API answered " + response.status() + " to a create by " + owner + ": " + response.body());
        }
        return new Created(owner, response.body().path("gameserver_id").asText(), sent, accepted);
    }

    /**
     * {@code count} creates spread round-robin over {@code owners} owners named {@code <prefix>-<k>}, with at most
     * {@code inFlight} requests at once; returns them in the order the API accepted them.
     */
    public List<Created> concurrently(String prefix, int owners, int count, int inFlight) {
        List<Created> created = Collections.synchronizedList(new ArrayList<>());
        Semaphore permits = new Semaphore(inFlight);
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int n = 0; n < count; n++) {
                String owner = prefix + "-" + (n % owners);
                int number = n;
                threads.execute(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        created.add(create(owner, number));
                    } catch (RuntimeException e) {
                        failures.add(e);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " of " + count + " creates failed", failures.getFirst());
        }
        List<Created> ordered = new ArrayList<>(created);
        ordered.sort((a, b) -> Long.compare(a.acceptedMillis(), b.acceptedMillis()));
        return ordered;
    }
}
