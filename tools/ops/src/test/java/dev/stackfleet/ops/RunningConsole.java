package dev.stackfleet.ops;

import dev.stackfleet.local.Await;
import dev.stackfleet.local.TestEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ./stackfleet ops console --port 0} run in-process against a local control plane, until closed. */
final class RunningConsole implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("ops console at (http://\\S+/)");

    final URI url;
    private final Thread thread;
    private final StringWriter err;

    private RunningConsole(URI url, Thread thread, StringWriter err) {
        this.url = url;
        this.thread = thread;
        this.err = err;
    }

    static RunningConsole start(TestEnvironment environment) {
        return start(OpsRun.settings(environment));
    }

    /** Starts the console with these options besides {@code --port 0}. */
    static RunningConsole start(List<String> settings) {
        List<String> args = new ArrayList<>(List.of("console", "--port", "0"));
        args.addAll(settings);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Thread thread = new Thread(
                () -> OpsMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new)),
                "ops-console");
        thread.start();
        String started = Await.until(
                Duration.ofSeconds(20),
                "the console's address on its standard output",
                () -> {
                    if (!thread.isAlive()) {
                        throw new IllegalStateException("the console stopped: " + out + err);
                    }
                    return out.toString();
                },
                URL.asPredicate());
        Matcher url = URL.matcher(started);
        url.find();
        return new RunningConsole(URI.create(url.group(1)), thread, err);
    }

    /** What the console wrote on standard error (notes, errors). */
    String err() {
        return err.toString();
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(Duration.ofSeconds(10));
    }
}
