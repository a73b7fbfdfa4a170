package dev.stackfleet.bench.coldstart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The command line of a {@link FirstInvocation} child JVM: the Lambda jar and a one-class launcher jar. An AOT
 * cache takes jars only on its class path, and the launcher alone keeps the benchmark's other classes out of it.
 */
final class JavaCommand {

    private final Path launcherJar;

    /** Writes the launcher jar into {@code dir}. */
    JavaCommand(Path dir) {
        this.launcherJar = dir.resolve("first-invocation.jar");
        String entry = FirstInvocation.class.getName().replace('.', '/') + ".class";
        try (InputStream bytes = FirstInvocation.class.getResourceAsStream("/" + entry);
                OutputStream file = Files.newOutputStream(launcherJar);
                JarOutputStream jar = new JarOutputStream(file)) {
            if (bytes == null) {
                throw new IllegalStateException("The launcher class " + entry + " is not on the class path");
            }
            jar.putNextEntry(new JarEntry(entry));
            bytes.transferTo(jar);
            jar.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + launcherJar, e);
        }
    }

    List<String> firstInvocation(Path lambdaJar, List<String> jvmFlags, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(lambdaJar + java.io.File.pathSeparator + launcherJar);
        command.add(FirstInvocation.class.getName());
        command.addAll(args);
        return command;
    }
}
