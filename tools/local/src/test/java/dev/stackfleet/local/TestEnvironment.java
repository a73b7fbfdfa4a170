package dev.stackfleet.local;

import java.nio.file.Path;

/**
 * An emulator process with the control plane running against it, for one test class. The moto
 * emulator is the default.
 */
final class TestEnvironment implements AutoCloseable {

    private final Emulator emulator;
    private final LocalControlPlane controlPlane;
    private final LocalAws aws;

    private TestEnvironment(Emulator emulator, LocalControlPlane controlPlane) {
        this.emulator = emulator;
        this.controlPlane = controlPlane;
        this.aws = new LocalAws(emulator.endpoint());
    }

    /** Starts moto (logging to {@code target/<name>-emulator.log}) and the control plane on a free port. */
    static TestEnvironment start(String name) {
        Path root = Path.of(System.getProperty("stackfleet.root", "../..")).toAbsolutePath().normalize();
        Path python = Path.of(System.getProperty("stackfleet.python", root.resolve(".venv/bin/python").toString()));
        Emulator emulator = Emulator.start(python, Path.of("target", name + "-emulator.log"));
        try {
            return new TestEnvironment(emulator, LocalControlPlane.start(emulator.endpoint(), root, 0));
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
    }

    LocalControlPlane controlPlane() {
        return controlPlane;
    }

    LocalAws aws() {
        return aws;
    }

    @Override
    public void close() {
        controlPlane.close();
        emulator.close();
    }
}
