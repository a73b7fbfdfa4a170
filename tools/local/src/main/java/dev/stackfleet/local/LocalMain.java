package dev.stackfleet.local;

import dev.stackfleet.api.ApiConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./stackfleet local [--port N] [--max-servers-per-owner N]}: starts the emulator, the control plane against it, prints where
 * to reach them and waits; Ctrl-C or SIGTERM stops everything it started, the emulator included.
 */
public final class LocalMain {

    private LocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8080;
        int maxServersPerOwner = ApiConfig.DEFAULT_MAX_SERVERS_PER_OWNER;
        for (int i = 0; i < args.length; i++) {
            boolean valueFollows = i + 1 < args.length && args[i + 1].matches("\\d{1,5}");
            if ("--port".equals(args[i]) && valueFollows) {
                port = Integer.parseInt(args[++i]);
            } else if ("--max-servers-per-owner".equals(args[i]) && valueFollows && !args[i + 1].matches("0+")) {
                maxServersPerOwner = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: ./stackfleet local [--port N] [--max-servers-per-owner N]"
                        + "   (API port, default 8080; quota per owner, default "
                        + ApiConfig.DEFAULT_MAX_SERVERS_PER_OWNER + ")");
                System.exit(2);
            }
        }
        Path root = Path.of(System.getProperty("stackfleet.root", ".")).toAbsolutePath().normalize();
        Path python = Path.of(System.getProperty("stackfleet.python", root.resolve(".venv/bin/python").toString()));
        Path emulatorLog = root.resolve(".local/emulator.log");
        Path emulatorPid = root.resolve(".local/emulator.pid");

        stopLeftoverEmulator(emulatorPid);
        Emulator emulator = Emulator.start(python, emulatorLog);
        writePid(emulatorPid, emulator.pid());
        LocalControlPlane controlPlane;
        try {
            controlPlane = LocalControlPlane.start(emulator.endpoint(), root, port, maxServersPerOwner);
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
        System.out.println("emulator: " + emulator.endpoint());
        System.out.println("""
                try:
                  curl -s -H 'X-User: alice' -d '{"config":{"difficulty":"easy","player_count":4}}' %1$s/gameservers
                  curl -s -H 'X-User: alice' %1$s/gameservers
                  curl -s -H 'X-User: alice' %1$s/gameservers/<gameserver_id>
                  curl -s -H 'X-User: alice' -X PATCH -d '{"config":{"player_count":8}}' %1$s/gameservers/<gameserver_id>
                  curl -s -H 'X-User: alice' -X DELETE %1$s/gameservers/<gameserver_id>
                operate, from another terminal:
                  export AWS_ENDPOINT_URL=%2$s AWS_REGION=%3$s AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \\
                    PROVISION_STATE_MACHINE_ARN=%4$s \\
                    DEPROVISION_STATE_MACHINE_ARN=%5$s
                  ./stackfleet ops servers
                emulator log: %6$s
                Ctrl-C stops everything.""".formatted(api, emulator.endpoint(), LocalAws.REGION.id(),
                controlPlane.resources().provisionArn(), controlPlane.resources().deprovisionArn(), emulatorLog));
        stopped.await();
    }

    /** An emulator left behind by a local run that was killed hard would otherwise run on forever. */
    private static void stopLeftoverEmulator(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid)
                    .filter(p -> p.info().commandLine().orElse("").contains("moto.server"))
                    .ifPresent(p -> {
                        LocalLog.line("local", "stopping the emulator of an earlier run (pid " + pid + ")");
                        p.destroy();
                        p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
                    });
        } catch (NoSuchFileException noEarlierRun) {
            // nothing to stop
        } catch (IOException | NumberFormatException e) {
            LocalLog.line("local", "ignoring " + pidFile + ": " + e.getMessage());
        }
    }

    private static void writePid(Path pidFile, long pid) {
        try {
            Files.writeString(pidFile, Long.toString(pid));
        } catch (IOException e) {
            LocalLog.line("local", "cannot write " + pidFile + ": " + e.getMessage());
        }
    }
}
