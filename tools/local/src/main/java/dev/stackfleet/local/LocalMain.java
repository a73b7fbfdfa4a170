package dev.stackfleet.local;

import dev.stackfleet.api.ApiConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./stackfleet local [--port N] [--reconcile-interval D] [--max-servers-per-owner N]}: starts the emulator, the control plane against
 * it (the reconciler included, every 15 s unless {@code --reconcile-interval 0}), prints where to reach them and
 * waits; Ctrl-C or SIGTERM stops everything it started, the emulator included.
 */
public final class LocalMain {

    private LocalMain() {}

    private static final String USAGE = """
            usage: ./stackfleet local [--port N] [--reconcile-interval D] [--max-servers-per-owner N]
              --port N                     the API's port on 127.0.0.1 (default 8080)
              --reconcile-interval D       how often the reconciler runs: 15s, 2m, or 0 for never (default 15s)
              --max-servers-per-owner N    the quota of live servers per owner (default 10)""";

    public static void main(String[] args) throws InterruptedException {
        int port = 8080;
        Duration reconcileInterval = Duration.ofSeconds(15);
        int maxServersPerOwner = ApiConfig.DEFAULT_MAX_SERVERS_PER_OWNER;
        for (int i = 0; i < args.length; i++) {
            if ("--port".equals(args[i]) && i + 1 < args.length && args[i + 1].matches("\\d{1,5}")) {
                port = Integer.parseInt(args[++i]);
            } else if ("--reconcile-interval".equals(args[i])
                    && i + 1 < args.length
                    && args[i + 1].matches("\\d{1,6}[sm]?")) {
                reconcileInterval = interval(args[++i]);
            } else if ("--max-servers-per-owner".equals(args[i])
                    && i + 1 < args.length
                    && args[i + 1].matches("0*[1-9]\\d{0,4}")) {
                maxServersPerOwner = Integer.parseInt(args[++i]);
            } else {
                System.err.println(USAGE);
                System.exit(2);
            }
        }
        Path root = Path.of(System.getProperty("stackfleet.root", "."))
                .toAbsolutePath()
                .normalize();
        Path python = Path.of(System.getProperty(
                "stackfleet.python", root.resolve(".venv/bin/python").toString()));
        Path emulatorLog = root.resolve(".local/emulator.log");
        Path emulatorPid = root.resolve(".local/emulator.pid");

        stopLeftoverEmulator(emulatorPid);
        Emulator emulator = Emulator.start(python, emulatorLog);
        writePid(emulatorPid, emulator.pid());
        LocalControlPlane controlPlane;
        try {
            controlPlane = LocalControlPlane.start(
                    emulator.endpoint(),
                    root,
                    new LocalControlPlane.Options(port, true, reconcileInterval, maxServersPerOwner));
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LocalLog.line("local", "stopping");
                            controlPlane.close();
                            emulator.close();
                            stopped.countDown();
                        },
                        "local-shutdown"));

        String api = controlPlane.apiUrl().toString();
        System.out.println("api: " + api);
        System.out.println("emulator: " + emulator.endpoint());
        System.out.println(
                reconcileInterval == null
                        ? "reconciler: off"
                        : "reconciler: every " + reconcileInterval.toSeconds() + " s (restarts servers left "
                                + LocalReconciler.STUCK_AFTER.toSeconds() + " s with no execution, repairs stacks)");
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
                    DEPROVISION_STATE_MACHINE_ARN=%5$s \\
                    ROLLOUT_STATE_MACHINE_ARN=%11$s \\
                    WORKLOAD_ACCOUNTS=%7$s POLL_INITIAL_SECONDS=%8$d POLL_MAX_SECONDS=%9$d \\
                    STACKFLEET_EMULATOR_ACCOUNT=%10$s
                  ./stackfleet ops servers
                  ./stackfleet ops reconcile --dry-run
                emulator log: %6$s
                Ctrl-C stops everything.""".formatted(
                        api,
                        emulator.endpoint(),
                        LocalAws.REGION.id(),
                        controlPlane.resources().provisionArn(),
                        controlPlane.resources().deprovisionArn(),
                        emulatorLog,
                        String.join(",", LocalResources.WORKLOAD_ACCOUNTS),
                        LocalControlPlane.POLL_INITIAL_SECONDS,
                        LocalControlPlane.POLL_MAX_SECONDS,
                        LocalAws.ACCOUNT_ID,
                        controlPlane.resources().rolloutArn()));
        stopped.await();
    }

    /** {@code 15s}, {@code 2m} or {@code 15} (seconds); zero turns the reconciler off ({@code null}). */
    private static Duration interval(String text) {
        long amount = Long.parseLong(text.replaceAll("[sm]$", ""));
        Duration interval = text.endsWith("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
        return interval.isZero() ? null : interval;
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
