package dev.stackfleet.bench.coldstart;

import dev.stackfleet.local.Emulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What SnapStart's priming leaves for the first real request: for each deployed handler, a fresh JVM on its Lambda
 * jar constructs it, runs its {@code beforeCheckpoint} (as Lambda does before the snapshot), then serves the same
 * first request as the cold-start runs and counts the classes that request loaded. Zero means the request after a
 * restore loads nothing new.
 */
final class PrimedFirstRequest {

    private PrimedFirstRequest() {}

    /** The classes each handler's first request loaded after its priming, by handler. */
    static Map<String, ColdStartRun> run(Path root, Path python, Path dir, List<HandlerCase> handlers)
            throws java.io.IOException {
        Files.createDirectories(dir);
        Map<String, ColdStartRun> runs = new LinkedHashMap<>();
        try (Emulator emulator = Emulator.start(python, dir.resolve("emulator.log"));
                ColdStartFixtures fixtures = new ColdStartFixtures(emulator.endpoint(), root)) {
            JavaCommand jvm = new JavaCommand(dir);
            for (HandlerCase handler : handlers) {
                List<String> args = new ArrayList<>(List.of(handler.handler()));
                args.addAll(fixtures.nextRun(handler));
                args.add(FirstInvocation.PRIMED);
                runs.put(
                        handler.handler(),
                        ColdStartRun.of(
                                jvm.firstInvocation(handler.jarUnder(root), ColdStartBenchmark.LAMBDA_JVM_FLAGS, args),
                                fixtures.environment(),
                                dir.resolve(handler.handler() + "-primed.err")));
            }
        }
        return runs;
    }
}
