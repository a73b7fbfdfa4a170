package dev.stackfleet.bench.coldstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stackfleet.local.Emulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start of each deployed Java handler against a Python 3.11 + boto3 handler doing the same first call, on the
 * emulator. For each handler, round after round: the Python run, the plain JVM run and the JVM run with an AOT cache
 * (JDK 25 {@code -XX:AOTCache}, made by one training run, standing in for SnapStart), so that any drift of the
 * machine hits all three alike. Writes {@code DIR/cold-start.json} with the medians and ratios.
 *
 * <p>Arguments: {@code --out DIR [--smoke] [--rounds N] [--only Handler]}; the repository root is the working
 * directory or {@code -Dstackfleet.root}, the Python {@code -Dstackfleet.python} (default {@code .venv/bin/python}).
 */
public final class ColdStartBenchmark {

    static final int DEFAULT_ROUNDS = 11;

    /** The JIT setting of Lambda's java21 runtime; serial GC as the runtime picks it on small functions. */
    static final List<String> LAMBDA_JVM_FLAGS =
            List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private static final Pattern STATUS = Pattern.compile("\"?statusCode\"?[:=] ?(\\d+)");
    /** A stream batch with no failed record, as Java and Python print it. */
    private static final Pattern BATCH_DONE = Pattern.compile("\"?batchItemFailures\"?[:=] ?\\[\\]");

    private final Path root;
    private final Path python;
    private final Path out;
    private final ColdStartFixtures fixtures;
    private final JavaCommand jvm;

    private ColdStartBenchmark(Path root, Path python, Path out, ColdStartFixtures fixtures) {
        this.root = root;
        this.python = python;
        this.out = out;
        this.fixtures = fixtures;
        this.jvm = new JavaCommand(out.resolve("cold-start-runs"));
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        boolean smoke = false;
        int rounds = DEFAULT_ROUNDS;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--smoke" -> smoke = true;
                case "--rounds" -> rounds = positive(value(args, ++i, "--rounds"));
                case "--only" -> only = value(args, ++i, "--only");
                default ->
                    throw new IllegalArgumentException("Unknown argument " + args[i]
                            + "; usage: --out DIR [--smoke] [--rounds N] [--only Handler]");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required: where cold-start.json is written");
        }
        Path root = Path.of(System.getProperty("stackfleet.root", "."))
                .toAbsolutePath()
                .normalize();
        Path python = Path.of(System.getProperty(
                "stackfleet.python", root.resolve(".venv/bin/python").toString()));
        List<HandlerCase> handlers = handlers(smoke, only);
        Files.createDirectories(out.resolve("cold-start-runs"));
        try (Emulator emulator = Emulator.start(python, out.resolve("cold-start-runs/emulator.log"));
                ColdStartFixtures fixtures = new ColdStartFixtures(emulator.endpoint(), root)) {
            Map<String, Object> report =
                    new ColdStartBenchmark(root, python, out, fixtures).run(handlers, smoke ? 1 : rounds);
            Path json = out.resolve("cold-start.json");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            System.out.println("Wrote " + json);
        }
    }

    private static List<HandlerCase> handlers(boolean smoke, String only) {
        if (only != null) {
            return HandlerCase.DEPLOYED.stream()
                    .filter(h -> h.handler().equals(only))
                    .findFirst()
                    .map(List::of)
                    .orElseThrow(() -> new IllegalArgumentException("No deployed handler named " + only));
        }
        return smoke ? List.of(HandlerCase.DEPLOYED.getFirst()) : HandlerCase.DEPLOYED;
    }

    private Map<String, Object> run(List<HandlerCase> handlers, int rounds) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (HandlerCase handler : handlers) {
            Path cache = train(handler);
            List<Double> pythonMs = new ArrayList<>();
            List<Double> javaMs = new ArrayList<>();
            List<Double> cachedMs = new ArrayList<>();
            List<Double> classes = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                pythonMs.add(checked(handler, pythonRun(handler)).millis());
                ColdStartRun plain = checked(handler, javaRun(handler, List.of()));
                javaMs.add(plain.millis());
                classes.add((double) plain.classes());
                cachedMs.add(checked(handler, javaRun(handler, List.of("-XX:AOTCache=" + cache)))
                        .millis());
            }
            if (handler.handler().equals("StreamHandler")) {
                // one record per run, each a new server: a run that dead-lettered it would have measured the wrong path
                fixtures.requireStreamExecutions(1 + 3 * rounds);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            double python = Medians.of(pythonMs);
            double java = Medians.of(javaMs);
            double cached = Medians.of(cachedMs);
            result.put("handler", handler.handler());
            result.put("call", handler.call());
            result.put("python_ms", Medians.round(python, 1));
            result.put("java_ms", Medians.round(java, 1));
            result.put("java_cached_ms", Medians.round(cached, 1));
            result.put("java_ratio", Medians.round(java / python, 2));
            result.put("cached_ratio", Medians.round(cached / python, 2));
            result.put("java_classes", Math.round(Medians.of(classes)));
            System.out.println(result);
            results.add(result);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "cold-start");
        report.put("rounds", rounds);
        report.put("jdk", Runtime.version().toString().replaceAll("\\+.*", ""));
        report.put("python", pythonVersion());
        report.put("handlers", results);
        return report;
    }

    /** The AOT cache of a handler, recorded by one run of the same first call. */
    private Path train(HandlerCase handler) {
        Path cache = out.resolve("cold-start-runs/" + handler.handler() + ".aot");
        checked(handler, javaRun(handler, List.of("-XX:AOTCacheOutput=" + cache)));
        return cache;
    }

    private ColdStartRun pythonRun(HandlerCase handler) {
        List<String> command = new ArrayList<>(List.of(
                python.toString(), root.resolve("tools/bench/python/runtime.py").toString(), handler.pythonModule()));
        command.addAll(fixtures.nextRun(handler));
        Map<String, String> env = fixtures.environment();
        env.put("PYTHONPATH", root.resolve("tools/bench/python").toString());
        return ColdStartRun.of(command, env, out.resolve("cold-start-runs/" + handler.pythonModule() + ".err"));
    }

    private ColdStartRun javaRun(HandlerCase handler, List<String> extraFlags) {
        List<String> flags = new ArrayList<>(LAMBDA_JVM_FLAGS);
        flags.addAll(extraFlags);
        List<String> args = new ArrayList<>(List.of(handler.handler()));
        args.addAll(fixtures.nextRun(handler));
        return ColdStartRun.of(
                jvm.firstInvocation(handler.jarUnder(root), flags, args),
                fixtures.environment(),
                out.resolve("cold-start-runs/" + handler.handler() + ".err"));
    }

    /** A run whose handler answered with an error measured the wrong path; the benchmark stops rather than report it. */
    private static ColdStartRun checked(HandlerCase handler, ColdStartRun run) {
        Matcher status = STATUS.matcher(run.response());
        boolean failedRecords = run.response().contains("batchItemFailures")
                && !BATCH_DONE.matcher(run.response()).find();
        if (failedRecords || (status.find() && Integer.parseInt(status.group(1)) >= 300)) {
            throw new IllegalStateException(handler.handler() + " answered " + run.response());
        }
        return run;
    }

    private String pythonVersion() {
        try {
            Process process = new ProcessBuilder(python.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return version.replace("Python ", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static int positive(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--rounds must be a whole number of at least 1, not " + value);
    }
}
