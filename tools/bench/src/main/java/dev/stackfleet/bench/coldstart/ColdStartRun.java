package dev.stackfleet.bench.coldstart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One cold start: a fresh process (a JVM or a Python interpreter) that initializes a handler and invokes it once.
 * The time runs from just before the process is started to the moment it prints its {@code RESPONSE} line, so it
 * holds the process's own start, the handler's init and the first invocation, and nothing after.
 *
 * @param millis process start to first response
 * @param response the handler's result as the process printed it
 * @param classes the classes the JVM had loaded when the response was out (0 for Python)
 * @param newClasses for a primed run, the classes the first request loaded after the priming, else -1
 */
record ColdStartRun(double millis, String response, long classes, long newClasses) {

    private static final long DEADLINE_SECONDS = 120;

    /** Runs the command with exactly this environment; its standard error goes to {@code errors}. */
    static ColdStartRun of(List<String> command, Map<String, String> environment, Path errors) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command.getFirst(), e);
        }
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String response = null;
            double millis = 0;
            long classes = 0;
            long newClasses = -1;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (response == null && line.startsWith("RESPONSE ")) {
                    millis = (System.nanoTime() - start) / 1e6;
                    response = line.substring("RESPONSE ".length());
                } else if (line.startsWith("CLASSES ")) {
                    classes = Long.parseLong(line.substring("CLASSES ".length()).trim());
                } else if (line.startsWith("NEW_CLASSES ")) {
                    newClasses = Long.parseLong(
                            line.substring("NEW_CLASSES ".length()).trim());
                }
            }
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " did not end within " + DEADLINE_SECONDS + " s");
            }
            if (response == null || process.exitValue() != 0) {
                throw new IllegalStateException("The run exited with " + process.exitValue()
                        + " without a response; see " + errors + " (" + String.join(" ", command) + ")");
            }
            return new ColdStartRun(millis, response, classes, newClasses);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during a cold-start run", e);
        }
    }
}
