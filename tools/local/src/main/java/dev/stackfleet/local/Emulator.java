package dev.stackfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A moto server process on a free loopback port, with Step Functions executions enabled.
 *
 * <p>moto runs state machines only when told so before any state machine exists, so {@link #start}
 * configures that before returning. {@link #close} ends the process; a JVM shutdown hook does the same
 * when the JVM is stopped by Ctrl-C or SIGTERM, so no emulator outlives its owner.
 */
public final class Emulator implements AutoCloseable {

    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(60);
    private static final String SETTINGS =
            "{\"stepfunctions\": {\"execute_state_machine\": true}, \"lambda\": {\"use_docker\": false}}";

    private final Process process;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Thread shutdownHook;

    private Emulator(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.shutdownHook = new Thread(this::stopProcess, "emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts moto with the given Python (a virtual environment holding {@code moto[server]}).
     *
     * @param python path to the Python interpreter, e.g. {@code .venv/bin/python}
     * @param log file that receives the emulator's own output
     */
    public static Emulator start(Path python, Path log) {
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException(
                    "No Python at " + python + ": run ./stackfleet once, it creates .venv with the emulator");
        }
        int port = freePort();
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(
                            python.toString(), "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Emulator emulator = new Emulator(process, URI.create("http://127.0.0.1:" + port));
            try {
                emulator.awaitReady();
                emulator.post("/moto-api/config", SETTINGS);
            } catch (RuntimeException e) {
                emulator.close();
                throw e;
            }
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the emulator", e);
        }
    }

    /** The emulator's endpoint, e.g. {@code http://127.0.0.1:50123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The emulator's process id. */
    public long pid() {
        return process.pid();
    }

    /** Clears every resource in the emulator; execution settings stay as they were. */
    public void reset() {
        post("/moto-api/reset", "");
        post("/moto-api/config", SETTINGS);
    }

    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to remove
        }
    }

    private void stopProcess() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(STARTUP_DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "The emulator exited with code " + process.exitValue() + " while starting; see its log");
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the server is still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the emulator", e);
            }
            process.onExit()
                    .completeOnTimeout(process, 100, TimeUnit.MILLISECONDS)
                    .join();
        }
        throw new IllegalStateException("The emulator did not answer within " + STARTUP_DEADLINE);
    }

    private void post(String path, String body) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(endpoint.resolve(path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        "Emulator " + path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Emulator " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }
}
