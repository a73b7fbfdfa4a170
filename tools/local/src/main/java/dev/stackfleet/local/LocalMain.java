package dev.stackfleet.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./stackfleet local [--port N]}: starts the emulator, the control plane against it, prints where
 * to reach them and waits; Ctrl-C or SIGTERM stops everything it started, the emulator included.
 */
public final class LocalMain {

    private LocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8080;
        for (int i = 0; i < args.length; i++) {
            if ("--port".equals(args[i]) && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: ./stackfleet local [--port N]   (default port 8080)");
                System.exit(2);
            }
        }
        Path root = Path.of(System.getProperty("stackfleet.root", ".")).toAbsolutePath().normalize();
        Path python = Path.of(System.getProperty("stackfleet.python", root.resolve(".venv/bin/python").toString()));
        Path emulatorLog = root.resolve(".local/emulator.log");

        Emulator emulator = Emulator.start(python, emulatorLog);
        LocalControlPlane controlPlane;
        try {
            controlPlane = LocalControlPlane.start(emulator.endpoint(), root, port);
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LocalLog.line("local", "stopping");
            controlPlane.close();
            emulator.close();
            stopped.countDown();
        }, "local-shutdown"));

        String api = controlPlane.apiUrl().toString();
        System.out.println("api: " + api);
        System.out.println("emulator: " + emulator.endpoint() + "   (emulator log: " + emulatorLog + ")");
        System.out.println("""
                try:
                  curl -s -H 'X-User: alice' -d '{"config":{"difficulty":"easy","player_count":4}}' %1$s/gameservers
                  curl -s -H 'X-User: alice' %1$s/gameservers
                  curl -s -H 'X-User: alice' %1$s/gameservers/<gameserver_id>
                  curl -s -H 'X-User: alice' -X PATCH -d '{"config":{"player_count":8}}' %1$s/gameservers/<gameserver_id>
                  curl -s -H 'X-User: alice' -X DELETE %1$s/gameservers/<gameserver_id>
                  AWS_ENDPOINT_URL=%2$s ./stackfleet ops servers
                Ctrl-C stops everything.""".formatted(api, emulator.endpoint()));
        stopped.await();
    }
}
