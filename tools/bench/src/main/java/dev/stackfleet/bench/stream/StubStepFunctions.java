package dev.stackfleet.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Step Functions reduced to StartExecution over its JSON protocol, answering every call after a fixed latency
 * and serving any number of calls at once: what the stream handler would see from a service with a constant round
 * trip and no capacity limit of its own. It counts the starts, the distinct execution names and the most calls it
 * held at once.
 */
final class StubStepFunctions implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START_EXECUTION = "AWSStepFunctions.StartExecution";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Duration latency;
    private final AtomicInteger starts = new AtomicInteger();
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();

    StubStepFunctions(Duration latency) {
        this.latency = latency;
        // The JDK server leaves Nagle's algorithm on by default: its header and body writes would then wait for the
        // client's delayed ACK, adding milliseconds that no real service adds to every call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open the Step Functions stub", e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Forgets the counts, before the next batch. */
    void reset() {
        starts.set(0);
        names.clear();
        peakInFlight.set(0);
    }

    int starts() {
        return starts.get();
    }

    int distinctNames() {
        return names.size();
    }

    int peakInFlight() {
        return peakInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request;
            try (InputStream body = exchange.getRequestBody()) {
                request = JSON.readTree(body);
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!START_EXECUTION.equals(target) || !request.hasNonNull("name")) {
                respond(
                        exchange,
                        400,
                        "{\"__type\": \"ValidationException\", \"message\": \"The stub serves only "
                                + "StartExecution with a name, not " + target + "\"}");
                return;
            }
            // the round trip a real service would add; the stub itself answers at once. A call counts as in flight
            // only here, so that one whose answer is still being written is not counted beside the next one
            peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            LockSupport.parkNanos(latency.toNanos());
            inFlight.decrementAndGet();
            String name = request.get("name").asText();
            starts.incrementAndGet();
            names.add(name);
            String machine = request.path("stateMachineArn").asText();
            String execution = machine.replace(":stateMachine:", ":execution:") + ":" + name;
            respond(
                    exchange,
                    200,
                    JSON.createObjectNode()
                            .put("executionArn", execution)
                            .put("startDate", System.currentTimeMillis() / 1000.0)
                            .toString());
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
