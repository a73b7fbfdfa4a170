package dev.stackfleet.bench.coldstart;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming, counted: each deployed handler is primed in a fresh JVM as Lambda primes it before the
 * snapshot, then serves its first real request against the emulator, and the classes that request loaded are
 * counted (a count, not a time). The reads load nothing new but one JDK lambda; what a write still loads is its
 * own success path (the priming's writes are refused, so their responses' classes are not loaded), bounded here so
 * that a priming that stops covering a handler fails.
 */
class PrimedFirstRequestIT {

    /**
     * The most classes each handler's first request may load after its priming: the counts measured, except the
     * stream's, which varies by a few classes (6 seen) with its start pool's threads.
     */
    private static final Map<String, Integer> MOST_NEW_CLASSES = Map.of(
            "GetGameServerHandler", 1,
            "ListGameServersHandler", 1,
            "CreateGameServerHandler", 113,
            "UpdateGameServerHandler", 53,
            "DeleteGameServerHandler", 55,
            "StreamHandler", 10,
            "ReconcileHandler", 20);

    @Test
    void theFirstRequestAfterPrimingLoadsAlmostNothing() throws Exception {
        Path root = Path.of(System.getProperty("stackfleet.root", "../..")).toAbsolutePath();
        Path python = Path.of(System.getProperty(
                "stackfleet.python", root.resolve(".venv/bin/python").toString()));

        Map<String, ColdStartRun> runs =
                PrimedFirstRequest.run(root, python, Path.of("target", "primed-first-request"), HandlerCase.DEPLOYED);

        assertEquals(MOST_NEW_CLASSES.keySet(), runs.keySet());
        assertAll(runs.entrySet().stream().map(run -> () -> {
            long loaded = run.getValue().newClasses();
            assertTrue(loaded >= 0, run.getKey() + " was not primed");
            assertTrue(
                    loaded <= MOST_NEW_CLASSES.get(run.getKey()),
                    run.getKey() + "'s first request after priming loaded " + loaded + " classes, more than "
                            + MOST_NEW_CLASSES.get(run.getKey()) + "; it answered "
                            + run.getValue().response());
        }));
    }
}
