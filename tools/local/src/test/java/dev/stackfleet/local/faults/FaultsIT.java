package dev.stackfleet.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.local.ApiClient;
import dev.stackfleet.local.Emulator;
import dev.stackfleet.local.FleetInvariants;
import dev.stackfleet.local.LocalAws;
import dev.stackfleet.local.LocalControlPlane;
import dev.stackfleet.local.LocalLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into the whole local flow: every call of the API handlers, the stream poller and the stream
 * Lambda to the emulator goes through a {@link FaultProxy} that throttles, fails or loses the answer of a share
 * of them, and the emulator process is paused (SIGSTOP) and resumed (SIGCONT) in the middle. Players retry what
 * the API answers with a 5xx, as the API asks them to. Once the faults stop, every accepted request reaches its
 * final status, each intent ran once, and the fleet's invariants hold.
 *
 * <p>The seed ({@code -Dstackfleet.faults.seed=N}) decides which calls fail; a failure prints it.
 * {@code -Dstackfleet.faults.share=0.4} fails more of them (default 0.2).
 */
class FaultsIT {

    private static final long SEED = Long.getLong("stackfleet.faults.seed", 20261130L);
    private static final double FAULT_SHARE = Double.parseDouble(System.getProperty("stackfleet.faults.share", "0.2"));
    private static final int OWNERS = 3;
    private static final int SERVERS_PER_OWNER = 3;
    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static final String[] DIFFICULTIES = {"peaceful", "easy", "normal", "hard"};

    private Emulator emulator;
    private FaultProxy proxy;
    private LocalControlPlane controlPlane;

    @AfterEach
    void stop() {
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void everyAcceptedRequestReachesItsFinalStatusThroughFaultsAndAPausedEmulator() throws Exception {
        Path root = Path.of(System.getProperty("stackfleet.root", "../.."))
                .toAbsolutePath()
                .normalize();
        emulator = Emulator.start(
                Path.of(System.getProperty(
                        "stackfleet.python", root.resolve(".venv/bin/python").toString())),
                Path.of("target", "faults-emulator.log"));
        proxy = FaultProxy.start(emulator.endpoint(), SEED);
        controlPlane = LocalControlPlane.start(proxy.endpoint(), root, new LocalControlPlane.Options(0, true, null));
        FleetInvariants invariants = new FleetInvariants(new LocalAws(emulator.endpoint()), controlPlane.resources());

        // GIVEN a fifth of all calls to AWS failing
        proxy.failShare(FAULT_SHARE);

        // WHEN players create, change and delete servers, while the emulator is paused for a while
        Map<String, Expected> accepted = new ConcurrentHashMap<>();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService players = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int o = 0; o < OWNERS; o++) {
                String owner = "player" + o;
                Random random = new Random(SEED + o);
                running.add(players.submit(() -> play(owner, random, accepted, log)));
            }
            players.submit(this::pauseTheEmulator).get();
            for (Future<?> player : running) {
                player.get();
            }
        }

        // THEN, once the faults stop, everything settles
        proxy.failShare(0);
        String context = "seed " + SEED + ", share " + FAULT_SHARE + ", " + proxy.summary() + "; requests: " + log;
        invariants.awaitQuiet(DEADLINE);
        assertEquals(List.of(), invariants.violations(), context);
        for (Map.Entry<String, Expected> entry : accepted.entrySet()) {
            String id = entry.getKey();
            Expected expected = entry.getValue();
            ApiClient.Response now = new ApiClient(controlPlane.apiUrl(), expected.owner()).get(id);
            if (expected.deleted()) {
                assertEquals(404, now.status(), id + " was deleted; " + context);
            } else {
                assertEquals("ACTIVE", now.body().path("status").asText(), id + ": " + now.body() + "; " + context);
                assertEquals(
                        expected.difficulty(),
                        now.body().path("config").path("difficulty").asText(),
                        context);
                assertEquals(
                        expected.playerCount(),
                        now.body().path("config").path("player_count").asInt(),
                        context);
            }
            Map<String, Long> executions = invariants.executionsByName(id);
            assertTrue(
                    executions.keySet().stream().noneMatch(name -> name.matches(".*-r\\d+")),
                    id + " needed a replay: " + executions + "; " + context);
            assertTrue(executions.containsKey(id + "-create-g1"), id + ": " + executions + "; " + context);
        }
        LocalLog.line(
                "faults",
                "seed " + SEED + ", share " + FAULT_SHARE + ": " + proxy.summary() + ", "
                        + accepted.size() + " servers, "
                        + log.size() + " API requests, "
                        + log.stream()
                                .filter(line -> line.endsWith("-> 503") || line.endsWith("-> 500"))
                                .count() + " answered 5xx and retried");
        assertTrue(
                proxy.injected(FaultProxy.Fault.RESPONSE_LOST) > 0
                        && proxy.injected(FaultProxy.Fault.THROTTLE) > 0
                        && proxy.injected(FaultProxy.Fault.SERVER_ERROR) > 0,
                "faults were injected: " + proxy.summary());
    }

    /** What the last accepted request of a server asked for. */
    private record Expected(String owner, String difficulty, int playerCount, boolean deleted) {}

    /** One player: creates servers, changes some, deletes some; retries what fails with a 5xx. */
    private void play(String owner, Random random, Map<String, Expected> accepted, List<String> log) {
        ApiClient api = new ApiClient(controlPlane.apiUrl(), owner);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < SERVERS_PER_OWNER; i++) {
            String difficulty = DIFFICULTIES[random.nextInt(DIFFICULTIES.length)];
            int players = 1 + random.nextInt(16);
            ApiClient.Response created = untilNot5xx(
                    () -> api.create("{\"difficulty\": \"" + difficulty + "\", \"player_count\": " + players + "}"),
                    log,
                    owner + " POST");
            assertEquals(201, created.status(), created.body().toString());
            String id = created.body().path("gameserver_id").asText();
            accepted.put(id, new Expected(owner, difficulty, players, false));
            mine.add(id);
        }
        for (String id : mine) {
            if (random.nextBoolean()) {
                Expected before = accepted.get(id);
                int players = 1 + random.nextInt(16);
                ApiClient.Response updated = untilNot5xx(
                        () -> api.update(id, "{\"player_count\": " + players + "}"), log, owner + " PATCH " + id);
                if (updated.status() == 200) {
                    accepted.put(id, new Expected(owner, before.difficulty(), players, false));
                }
            }
            if (random.nextInt(3) == 0) {
                ApiClient.Response deleted = untilNot5xx(() -> api.delete(id), log, owner + " DELETE " + id);
                if (deleted.status() == 202) {
                    accepted.put(id, new Expected(owner, null, 0, true));
                }
            }
        }
    }

    private static ApiClient.Response untilNot5xx(
            java.util.function.Supplier<ApiClient.Response> request, List<String> log, String what) {
        for (int attempt = 1; ; attempt++) {
            ApiClient.Response response = request.get();
            log.add(what + " -> " + response.status());
            if (response.status() < 500 || attempt == 20) {
                return response;
            }
        }
    }

    private void pauseTheEmulator() {
        try {
            signal("STOP");
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofSeconds(3).toNanos());
            signal("CONT");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void signal(String signal) throws IOException {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(emulator.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            assertEquals(0, exit, "kill -" + signal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
