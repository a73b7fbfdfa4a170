package dev.stackfleet.bench;

import dev.stackfleet.local.Emulator;
import dev.stackfleet.local.LocalAws;
import dev.stackfleet.local.LocalControlPlane;
import java.nio.file.Path;

/**
 * The emulator and the whole control plane of local mode, as {@code ./stackfleet local} runs them, for one
 * benchmark. The repository root and the Python come from {@code -Dstackfleet.root} and
 * {@code -Dstackfleet.python}, as in the emulator tests.
 */
public final class LocalRun implements AutoCloseable {

    private final Emulator emulator;
    private final LocalControlPlane controlPlane;

    private LocalRun(Emulator emulator, LocalControlPlane controlPlane) {
        this.emulator = emulator;
        this.controlPlane = controlPlane;
    }

    /** Starts a fresh emulator (log in {@code <out>/<name>-emulator.log}) and the control plane on it. */
    public static LocalRun start(BenchOptions options, String name, LocalControlPlane.Options planeOptions) {
        Path root = root();
        Path python = Path.of(System.getProperty(
                "stackfleet.python", root.resolve(".venv/bin/python").toString()));
        Emulator emulator = Emulator.start(python, options.out().resolve(name + "-emulator.log"));
        try {
            return new LocalRun(emulator, LocalControlPlane.start(emulator.endpoint(), root, planeOptions));
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
    }

    /** The repository root: {@code -Dstackfleet.root}, else the working directory. */
    public static Path root() {
        return Path.of(System.getProperty("stackfleet.root", "."))
                .toAbsolutePath()
                .normalize();
    }

    public LocalControlPlane controlPlane() {
        return controlPlane;
    }

    public LocalAws aws() {
        return new LocalAws(emulator.endpoint());
    }

    @Override
    public void close() {
        controlPlane.close();
        emulator.close();
    }
}
