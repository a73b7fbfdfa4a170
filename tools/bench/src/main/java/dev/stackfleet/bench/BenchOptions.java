package dev.stackfleet.bench;

import java.nio.file.Path;

/**
 * The command line every benchmark shares: {@code --out DIR [--smoke]}.
 *
 * @param out the directory that receives {@code <name>.json}
 * @param smoke tiny sizes and one round: proves the harness works, measures nothing
 */
public record BenchOptions(Path out, boolean smoke) {

    /** Reads the arguments, or fails with a message that shows the usage. */
    public static BenchOptions parse(String benchmark, String... args) {
        Path out = null;
        boolean smoke = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        throw usage(benchmark, "--out needs a directory");
                    }
                    out = Path.of(args[++i]);
                }
                default -> throw usage(benchmark, "unknown argument '" + args[i] + "'");
            }
        }
        if (out == null) {
            throw usage(benchmark, "--out DIR is required");
        }
        return new BenchOptions(out, smoke);
    }

    private static IllegalArgumentException usage(String benchmark, String problem) {
        return new IllegalArgumentException(problem + "; usage: " + benchmark + " --out DIR [--smoke]");
    }
}
