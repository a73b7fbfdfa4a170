package dev.stackfleet.local.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy between stackfleet's AWS clients and the emulator that fails a share of the calls, the way AWS
 * fails them: throttling, a 5xx before the call reaches the service, a 5xx after the service did the work (the
 * response is lost, so a retry repeats a call that took effect), and slow answers. Which call fails is drawn from
 * a seeded random source, so a run can be repeated.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does to one call. */
    public enum Fault {
        /** Throttled before reaching the service (400 ThrottlingException / Throttling). */
        THROTTLE,
        /** A 5xx before reaching the service. */
        SERVER_ERROR,
        /** Forwarded and done, but answered with a 5xx: the response is lost. */
        RESPONSE_LOST,
        /** Forwarded after a delay. */
        SLOW
    }

    private static final Set<String> HOP_BY_HOP =
            Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "keep-alive");
    private static final Duration SLOW_BY = Duration.ofMillis(800);

    private final HttpServer server;
    private final URI target;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Random random;
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private final AtomicLong calls = new AtomicLong();
    private volatile double rate;

    private FaultProxy(HttpServer server, URI target, long seed) {
        this.server = server;
        this.target = target;
        this.random = new Random(seed);
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicLong());
        }
    }

    /** Starts a proxy on a free loopback port, passing everything through until {@link #failShare} says otherwise. */
    public static FaultProxy start(URI target, long seed) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FaultProxy proxy = new FaultProxy(server, target, seed);
            server.createContext("/", proxy::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the fault proxy", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, this share of calls (0 to 1) gets a fault, the kinds in equal parts. */
    public void failShare(double share) {
        this.rate = share;
    }

    /** How many calls passed through, and how many faults of each kind were injected. */
    public String summary() {
        return calls.get() + " calls, faults " + injected;
    }

    public long injected(Fault fault) {
        return injected.get(fault).get();
    }

    private Fault draw() {
        synchronized (random) {
            if (random.nextDouble() >= rate) {
                return null;
            }
            return Fault.values()[random.nextInt(Fault.values().length)];
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Fault fault = draw();
            if (fault != null) {
                injected.get(fault).incrementAndGet();
            }
            if (fault == Fault.THROTTLE || fault == Fault.SERVER_ERROR) {
                error(exchange, fault == Fault.THROTTLE);
                return;
            }
            if (fault == Fault.SLOW) {
                Thread.sleep(SLOW_BY.toMillis());
            }
            HttpResponse<InputStream> response = forward(exchange, body);
            if (fault == Fault.RESPONSE_LOST) {
                response.body().readAllBytes();
                error(exchange, false);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body().readAllBytes();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<InputStream> forward(HttpExchange exchange, byte[] body)
            throws IOException, InterruptedException {
        URI uri = target.resolve(exchange.getRequestURI().toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * An AWS error in the protocol of the call: JSON for services called with {@code X-Amz-Target} (DynamoDB,
     * Step Functions, SQS), query XML for the others (CloudFormation, STS).
     */
    private static void error(HttpExchange exchange, boolean throttle) throws IOException {
        boolean json = exchange.getRequestHeaders().containsKey("X-Amz-Target");
        int status = throttle ? 400 : 500;
        String code = throttle ? (json ? "ThrottlingException" : "Throttling") : "InternalFailure";
        String message = throttle ? "Rate exceeded" : "injected fault";
        String body;
        if (json) {
            exchange.getResponseHeaders().put("Content-Type", List.of("application/x-amz-json-1.0"));
            exchange.getResponseHeaders().put("x-amzn-ErrorType", List.of(code));
            body = "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}";
        } else {
            exchange.getResponseHeaders().put("Content-Type", List.of("text/xml"));
            body = "<ErrorResponse><Error><Type>" + (throttle ? "Sender" : "Receiver") + "</Type><Code>" + code
                    + "</Code><Message>" + message + "</Message></Error><RequestId>fault</RequestId></ErrorResponse>";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
